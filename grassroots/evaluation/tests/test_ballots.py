"""The anonymous ballot's security properties (issue 5 item 8)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from grassroots.core.errors import DomainError
from grassroots.core.models import AuditEntry
from grassroots.evaluation import board
from grassroots.evaluation.models import Ballot, BallotCode, CodeState
from grassroots.evaluation.services import ballots
from grassroots.evaluation.states import State

from .conftest import all_satisfied, issue

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "verify_ballot_board.py"


def test_codes_have_enough_entropy_and_only_keyed_hashes_are_stored(world):
    issued = issue(world)
    assert len(issued.codes) == 6 + 1  # roster + ~10 % spare (at least one)
    assert len(set(issued.codes)) == len(issued.codes)
    assert all(len(c) == 12 and set(c) <= set(ballots.ALPHABET) for c in issued.codes)  # 60 bits
    stored = list(BallotCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 7
    for code in issued.codes:
        assert code not in " ".join(stored)
        # Keyed: a plain SHA-256 of the code is not what is stored.
        import hashlib

        assert hashlib.sha256(f"{issued.session.pk}:{code}".encode()).hexdigest() not in stored
    audit_text = json.dumps(list(AuditEntry.objects.values("detail", "object_id")), ensure_ascii=False)
    assert not any(code in audit_text for code in issued.codes)


def test_code_used_twice_gives_one_ballot(world):
    issued = issue(world)
    ballots.ballot_cast(session_id=issued.session.pk, code=issued.codes[0], choices=all_satisfied(issued.session))
    with pytest.raises(DomainError) as exc:
        ballots.ballot_cast(session_id=issued.session.pk, code=issued.codes[0], choices=all_satisfied(issued.session))
    assert exc.value.code == "code_rejected"
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize("code", ["", "0000-0000-0000", "ZZZZZZZZZZZZ", "short", "!" * 12])
def test_unknown_codes_are_rejected(world, code):
    issued = issue(world)
    with pytest.raises(DomainError) as exc:
        ballots.ballot_cast(session_id=issued.session.pk, code=code, choices=all_satisfied(issued.session))
    assert exc.value.code == "code_rejected"
    assert Ballot.objects.count() == 0
    assert BallotCode.objects.filter(state=CodeState.USED).count() == 0


def test_void_codes_and_codes_of_another_batch_are_rejected(world):
    issued = issue(world)
    assert ballots.codes_void(session=issued.session, codes=[issued.codes[0]], actor=world.staff) == 1
    with pytest.raises(DomainError):
        ballots.ballot_cast(session_id=issued.session.pk, code=issued.codes[0], choices=all_satisfied(issued.session))
    reissued = ballots.slips_issue(session=issued.session, actor=world.staff)  # lost printout, no ballot yet
    with pytest.raises(DomainError):
        ballots.ballot_cast(session_id=issued.session.pk, code=issued.codes[1], choices=all_satisfied(issued.session))
    ballots.ballot_cast(session_id=issued.session.pk, code=reissued[0], choices=all_satisfied(issued.session))
    assert Ballot.objects.count() == 1


def test_reissue_after_a_ballot_is_refused(world):
    issued = issue(world)
    ballots.ballot_cast(session_id=issued.session.pk, code=issued.codes[0], choices=all_satisfied(issued.session))
    with pytest.raises(DomainError):
        ballots.slips_issue(session=issued.session, actor=world.staff)
    assert BallotCode.objects.count() == 7


def test_code_of_another_session_is_rejected(world):
    issued = issue(world)
    from grassroots.evaluation.services.sessions import session_create, session_freeze

    other, _ = session_create(village=world.tree.village_a, month=issued.session.month.replace(month=4))
    other = session_freeze(session=other, actor=world.staff)  # April: matter 5
    assert other.state == State.FROZEN
    with pytest.raises(DomainError):
        ballots.ballot_cast(session_id=other.pk, code=issued.codes[0], choices=all_satisfied(other))
    assert Ballot.objects.count() == 0


def test_bad_choices_are_rejected_and_change_nothing(world):
    issued = issue(world)
    for choices in ({}, {"999999": "satisfied"}, {str(issued.session.items.get(label="王办理").pk): "excellent"}):
        with pytest.raises(DomainError):
            ballots.ballot_cast(session_id=issued.session.pk, code=issued.codes[0], choices=choices)
    assert Ballot.objects.count() == 0
    assert BallotCode.objects.filter(state=CodeState.USED).count() == 0


def test_voting_before_freeze_and_after_close_is_refused(world):
    draft = world.session("draft")
    with pytest.raises(DomainError):
        ballots.ballot_cast(session_id=draft.pk, code="0" * 12, choices=all_satisfied(draft))
    issued = issue(world)
    ballots.session_close(session=issued.session, attendance=6, void_codes=None, actor=world.staff)
    with pytest.raises(DomainError) as exc:
        ballots.ballot_cast(session_id=issued.session.pk, code=issued.codes[0], choices=all_satisfied(issued.session))
    assert exc.value.code == "wrong_state"
    assert Ballot.objects.count() == 0


def test_ballot_table_carries_no_link_to_a_person():
    columns = {f.column for f in Ballot._meta.concrete_fields}
    assert columns == {"id", "session_id", "tracker", "choices", "chain_hash"}
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"  # no autoincrement casting order
    code_columns = {f.column for f in BallotCode._meta.concrete_fields}
    assert code_columns == {"id", "session_id", "code_hash", "batch", "state"}
    for model in (Ballot, BallotCode):
        assert not any(
            f.get_internal_type() in {"DateTimeField", "DateField", "GenericIPAddressField"}
            for f in model._meta.concrete_fields
        )
        assert not any(
            f.is_relation and getattr(f.related_model, "__name__", "") == "User" for f in model._meta.concrete_fields
        )


def _cast_all(issued, ratings):
    trackers = []
    for code, rating in zip(issued.codes, ratings, strict=False):
        trackers.append(
            ballots.ballot_cast(
                session_id=issued.session.pk, code=code, choices=all_satisfied(issued.session, rating)
            ).tracker
        )
    return trackers


def test_board_is_sorted_by_tracker_not_casting_order_and_rows_are_rewritten(world):
    issued = issue(world)
    cast_order = _cast_all(issued, ["satisfied", "basic", "unsatisfied", "satisfied", "satisfied"])
    closed = ballots.session_close(
        session=issued.session, attendance=6, void_codes=issued.codes[5:6], actor=world.staff
    )
    data = ballots.board_build(session=closed)
    trackers = [b["tracker"] for b in data["ballots"]]
    assert trackers == sorted(cast_order)
    # The physical order of rows (rowid/ctid) follows the tracker after close too.
    with connection.cursor() as cursor:
        table = Ballot._meta.db_table
        order = "rowid" if connection.vendor == "sqlite" else "ctid"
        cursor.execute(f"SELECT tracker FROM {table} ORDER BY {order}")  # noqa: S608 - constant names
        assert [row[0] for row in cursor.fetchall()] == sorted(cast_order)
    assert closed.reconciliation["printed"] == 7
    assert closed.reconciliation["used"] == 5 and closed.reconciliation["void"] == 1
    assert closed.reconciliation["missing"] == 1 and closed.reconciliation["flagged"]  # one slip not returned


def test_results_hidden_before_close_and_suppressed_below_threshold(world):
    issued = issue(world)
    _cast_all(issued, ["satisfied"] * 4)
    with pytest.raises(DomainError):
        ballots.results_build(session=issued.session)
    with pytest.raises(DomainError):
        ballots.board_build(session=issued.session)
    closed = ballots.session_close(session=issued.session, attendance=6, void_codes=issued.codes[4:], actor=world.staff)
    rows = ballots.results_build(session=closed)
    staff_rows = [r for r in rows if r["item"].kind == "staff"]
    matter_rows = [r for r in rows if r["item"].kind == "matter"]
    assert staff_rows and all(r["suppressed"] and r["counts"] is None for r in staff_rows)
    assert matter_rows and all(not r["suppressed"] and r["counts"]["satisfied"] == 4 for r in matter_rows)
    data = ballots.board_build(session=closed)
    staff_ids = {str(r["item"].pk) for r in staff_rows}
    assert not any(staff_ids & set(b["choices"]) for b in data["ballots"])  # not published on the board either
    assert not staff_ids & set(data["tally"])
    assert not closed.reconciliation["flagged"]


def test_results_shown_at_threshold(world):
    issued = issue(world)
    _cast_all(issued, ["satisfied", "basic", "unsatisfied", "satisfied", "satisfied"])
    closed = ballots.session_close(session=issued.session, attendance=6, void_codes=issued.codes[5:], actor=world.staff)
    rows = ballots.results_build(session=closed)
    assert all(not r["suppressed"] and r["total"] == 5 for r in rows)
    assert rows[0]["satisfaction"] == 70.0


def test_used_above_attendance_is_flagged(world):
    issued = issue(world)
    _cast_all(issued, ["satisfied"] * 3)
    closed = ballots.session_close(session=issued.session, attendance=2, void_codes=issued.codes[3:], actor=world.staff)
    assert closed.reconciliation["flagged"]
    assert any("多于到会人数" in p for p in closed.reconciliation["problems"])


@pytest.fixture
def closed_board(world, tmp_path):
    issued = issue(world)
    _cast_all(issued, ["satisfied", "basic", "unsatisfied", "satisfied", "satisfied"])
    closed = ballots.session_close(session=issued.session, attendance=6, void_codes=issued.codes[5:], actor=world.staff)
    return closed


def _script(data, tmp_path, *extra):
    path = tmp_path / "board.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return subprocess.run([sys.executable, str(SCRIPT), str(path), *extra], capture_output=True, text=True, check=False)


def test_verification_passes_on_an_untouched_board(closed_board, tmp_path):
    assert ballots.session_verify(session=closed_board, anchor_head=closed_board.head_hash).ok
    call_command("evaluation_verify", str(closed_board.pk), "--head", closed_board.head_hash)
    data = ballots.board_build(session=closed_board)
    done = _script(data, tmp_path, "--head", closed_board.head_hash)
    assert done.returncode == 0, done.stderr
    assert closed_board.head_hash in done.stdout
    # The script and the platform agree on the rules.
    assert (
        board.chain(closed_board.pk, [(b["tracker"], b["choices"]) for b in data["ballots"]])[-1] == data["head_hash"]
    )


def test_a_ballot_edited_in_the_database_fails_verification(closed_board):
    ballot = Ballot.objects.filter(session=closed_board).order_by("tracker")[2]
    key = next(iter(ballot.choices))
    Ballot.objects.filter(pk=ballot.pk).update(
        choices={**ballot.choices, key: "unsatisfied" if ballot.choices[key] != "unsatisfied" else "satisfied"}
    )
    result = ballots.session_verify(session=closed_board)
    assert not result.ok
    with pytest.raises(CommandError):
        call_command("evaluation_verify", str(closed_board.pk))


def test_a_ballot_deleted_in_the_database_fails_verification(closed_board):
    Ballot.objects.filter(session=closed_board).order_by("tracker")[4].delete()
    assert not ballots.session_verify(session=closed_board).ok


def test_a_ballot_inserted_in_the_database_fails_verification(closed_board):
    first = Ballot.objects.filter(session=closed_board).order_by("tracker")[0]
    Ballot.objects.create(session=closed_board, tracker="00000000", choices=first.choices, chain_hash=first.chain_hash)
    assert not ballots.session_verify(session=closed_board).ok


def test_a_rewritten_chain_is_caught_by_the_head_read_out(closed_board):
    # An attacker who edits a ballot and recomputes every hash and the stored
    # head: the head hash read out at the meeting no longer matches.
    read_out = closed_board.head_hash
    ballot = Ballot.objects.filter(session=closed_board).order_by("tracker")[0]
    flipped = {k: "basic" if v != "basic" else "satisfied" for k, v in ballot.choices.items()}
    Ballot.objects.filter(pk=ballot.pk).update(choices=flipped)
    rows = list(Ballot.objects.filter(session=closed_board).order_by("tracker"))
    hashes = board.chain(closed_board.pk, [(b.tracker, b.choices) for b in rows])
    for row, h in zip(rows, hashes, strict=True):
        Ballot.objects.filter(pk=row.pk).update(chain_hash=h)
    closed_board.head_hash = hashes[-1]
    closed_board.save(update_fields=["head_hash"])
    assert not ballots.session_verify(session=closed_board, anchor_head=read_out).ok


def test_script_detects_a_tampered_board(closed_board, tmp_path):
    data = ballots.board_build(session=closed_board)
    edited = json.loads(json.dumps(data))
    item = next(iter(edited["ballots"][1]["choices"]))
    edited["ballots"][1]["choices"][item] = (
        "unsatisfied" if edited["ballots"][1]["choices"][item] != "unsatisfied" else "basic"
    )
    assert _script(edited, tmp_path).returncode == 1
    dropped = json.loads(json.dumps(data))
    del dropped["ballots"][0]
    assert _script(dropped, tmp_path).returncode == 1
    tally = json.loads(json.dumps(data))
    first = next(iter(tally["tally"]))
    tally["tally"][first]["satisfied"] += 1
    assert _script(tally, tmp_path).returncode == 1
    assert _script(data, tmp_path, "--head", "0" * 64).returncode == 1


def test_casting_writes_no_audit_entry_and_no_log(world, caplog):
    issued = issue(world)
    before = AuditEntry.objects.count()
    with caplog.at_level(logging.DEBUG):
        ballot = ballots.ballot_cast(
            session_id=issued.session.pk, code=issued.codes[0], choices=all_satisfied(issued.session)
        )
    assert AuditEntry.objects.count() == before
    assert issued.codes[0] not in caplog.text and ballot.tracker not in caplog.text
