#!/usr/bin/env python3
"""Verify a published appraisal ballot board (board.json) on any computer.

Standard library only; no access to the platform is needed. It recomputes
every entry's hash from the ballots as published (sorted by tracker), the head
hash and the tally, and compares them with what the board states:

    genesis = sha256("grassroots-ballot-board/1|session:<id>")
    hash_i  = sha256(hash_{i-1} + "|" + canonical_json({"tracker", "choices"}))

canonical JSON: sorted keys, no spaces, UTF-8 (not ASCII-escaped).

Usage: python3 verify_ballot_board.py board.json [--head HASH]
       (--head: the head hash read out or printed at the meeting)
Exit status 0 when everything matches, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

FORMAT = "grassroots-ballot-board/1"


def canonical_json(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def verify(board: dict, head: str | None = None) -> tuple[list[str], str, dict]:
    problems: list[str] = []
    if board.get("format") != FORMAT:
        problems.append(f"unknown format: {board.get('format')!r}")
    session_id = board["session"]["id"]
    scale = board["scale"]
    prev = hashlib.sha256(f"{FORMAT}|session:{session_id}".encode()).hexdigest()
    if board.get("genesis_hash") != prev:
        problems.append("genesis hash does not match the session id")
    ballots = board["ballots"]
    trackers = [b["tracker"] for b in ballots]
    if trackers != sorted(trackers):
        problems.append("ballots are not sorted by tracker")
    if len(set(trackers)) != len(trackers):
        problems.append("a tracker appears twice")
    shown = [item["id"] for item in board["items"] if not item.get("suppressed")]
    tally = {item: dict.fromkeys([*scale, "total"], 0) for item in shown}
    for ballot in ballots:
        body = canonical_json({"tracker": ballot["tracker"], "choices": ballot["choices"]})
        prev = hashlib.sha256(prev.encode("ascii") + b"|" + body).hexdigest()
        if prev != ballot.get("hash"):
            problems.append(f"hash mismatch at tracker {ballot['tracker']}")
        for item, rating in ballot["choices"].items():
            if item not in tally or rating not in scale:
                problems.append(f"tracker {ballot['tracker']}: unexpected choice {item}={rating}")
                continue
            tally[item][rating] += 1
            tally[item]["total"] += 1
    if prev != board.get("head_hash"):
        problems.append(f"head hash mismatch: computed {prev}, board states {board.get('head_hash')}")
    if head is not None and head.strip().lower() != prev:
        problems.append(f"head hash {prev} differs from the one read out at the meeting ({head})")
    if len(ballots) != board.get("ballot_count"):
        problems.append("ballot count mismatch")
    if tally != board.get("tally"):
        problems.append("tally mismatch")
    return problems, prev, tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a published ballot board (board.json).")
    parser.add_argument("board", help="path to board.json")
    parser.add_argument("--head", default=None, help="head hash read out at the meeting")
    args = parser.parse_args(argv)
    with open(args.board, encoding="utf-8") as handle:
        board = json.load(handle)
    problems, head, tally = verify(board, args.head)
    labels = {item["id"]: item["label"] for item in board["items"]}
    print(f"session {board['session']['id']} ({board['session'].get('village')} {board['session'].get('month')})")
    print(f"ballots: {len(board['ballots'])}")
    print(f"head hash: {head}")
    for item, counts in tally.items():
        print(f"  {labels.get(item, item)}: " + " ".join(f"{k}={v}" for k, v in counts.items()))
    if problems:
        for problem in problems:
            print(f"FAIL: {problem}", file=sys.stderr)
        return 1
    print("OK: chain, head hash and tally verified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
