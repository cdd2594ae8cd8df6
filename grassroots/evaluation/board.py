"""The published ballot board: canonical form, hash chain and tally.

Pure standard library on purpose: `scripts/verify_ballot_board.py` repeats
exactly these rules, and a test keeps the two in agreement.

    genesis      = sha256("grassroots-ballot-board/1|session:<id>")
    entry hash_i = sha256(hash_{i-1} || "|" || canonical_json({"tracker", "choices"}))

Entries are sorted by tracker (random), so the board order says nothing about
the order of casting. The last hash is the head hash read out at the meeting.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

FORMAT = "grassroots-ballot-board/1"
SCALE = ("satisfied", "basic", "unsatisfied")


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def genesis_hash(session_id: int | str) -> str:
    return hashlib.sha256(f"{FORMAT}|session:{session_id}".encode()).hexdigest()


def entry_hash(prev_hash: str, tracker: str, choices: Mapping[str, str]) -> str:
    body = canonical_json({"tracker": tracker, "choices": dict(choices)})
    return hashlib.sha256(prev_hash.encode("ascii") + b"|" + body).hexdigest()


def chain(session_id: int | str, entries: Iterable[tuple[str, Mapping[str, str]]]) -> list[str]:
    """Hashes of (tracker, choices) entries, in the order given."""
    prev = genesis_hash(session_id)
    hashes = []
    for tracker, choices in entries:
        prev = entry_hash(prev, tracker, choices)
        hashes.append(prev)
    return hashes


def tally(item_ids: Iterable[str], ballots: Iterable[Mapping[str, str]]) -> dict[str, dict[str, int]]:
    result = {item: dict.fromkeys((*SCALE, "total"), 0) for item in item_ids}
    for choices in ballots:
        for item, rating in choices.items():
            if item in result and rating in SCALE:
                result[item][rating] += 1
                result[item]["total"] += 1
    return result
