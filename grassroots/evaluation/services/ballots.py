"""The anonymous ballot (ADR 0014): one-time codes, casting, closing with
reconciliation, the hash-chained board and its verification, results.

Nothing here records who voted: no audit entry per ballot, no logging, no
time or order on the ballot row. Codes exist in plain text only while the
slips PDF is rendered."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.core.audit import audit_record
from grassroots.core.crypto import index_key
from grassroots.core.errors import DomainError

from .. import board, permissions
from ..errors import code_rejected, wrong_state
from ..models import AppraisalItem, AppraisalSession, Ballot, BallotCode, CodeState, ItemKind, Rating
from ..states import Action, State
from .sessions import paper_tally_status
from .workflow import WORKFLOW, transition

# Crockford base32: no I, L, O, U, so a code read aloud or typed is unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits
TRACKER_LENGTH = 8  # 40 bits, unique per session
MIN_BALLOTS_PER_PERSON = 5
SPARE_RATIO = 0.1
CODE_KEY_PURPOSE = b"grassroots.evaluation.ballot-code.v1"


def _random_string(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(raw: str) -> str:
    text = (raw or "").upper().replace("-", "").replace(" ", "").strip()
    return text.translate(str.maketrans("OIL", "011"))


def _code_key() -> bytes:
    # A key of its own, derived from the blind-index key with a purpose label.
    return hmac.new(index_key(), CODE_KEY_PURPOSE, hashlib.sha256).digest()


def code_hash(session_id: int, code: str) -> str:
    """Keyed (HMAC-SHA256) hash: 60 bits cannot be brute-forced offline
    without the key, unlike a plain hash of such a short string."""
    return hmac.new(_code_key(), f"{session_id}:{code}".encode("ascii"), hashlib.sha256).hexdigest()


def slip_count(roster_size: int) -> int:
    return roster_size + max(1, math.ceil(roster_size * SPARE_RATIO))


def slips_issue(*, session: AppraisalSession, actor: Actor) -> list[str]:
    """Generate the slips' one-time codes and return them in plain text,
    shuffled, for the PDF only. Reissuing (a lost printout) voids the
    previous batch and is allowed only before the first ballot."""
    with transaction.atomic():
        locked = AppraisalSession.objects.select_for_update().get(pk=session.pk)
        if locked.state != State.FROZEN:
            raise wrong_state("只有冻结后、结束前的评议可以打印选票。")
        if locked.slips_batch and locked.ballots.exists():
            raise wrong_state("已有选票投出,不能重新打印选票。")
        batch = locked.slips_batch + 1
        locked.codes.filter(state=CodeState.UNUSED).update(state=CodeState.VOID)
        count = slip_count(locked.roster.count())
        codes: list[str] = []
        seen: set[str] = set()
        while len(codes) < count:
            code = _random_string(CODE_LENGTH)
            if code not in seen:
                seen.add(code)
                codes.append(code)
        BallotCode.objects.bulk_create(
            [BallotCode(session=locked, code_hash=code_hash(locked.pk, c), batch=batch) for c in codes]
        )
        locked.slips_batch = batch
        locked.slips_issued_at = timezone.now()
        locked.save(update_fields=["slips_batch", "slips_issued_at"])
        audit_record(action="evaluation.slips_issued", actor=actor, obj=locked, detail={"batch": batch, "count": count})
    secrets.SystemRandom().shuffle(codes)
    return codes


def _clean_choices(items: list[AppraisalItem], choices: dict[str, Any]) -> dict[str, str]:
    valid_items = {str(item.pk) for item in items}
    cleaned: dict[str, str] = {}
    for key, value in choices.items():
        if value in ("", None):
            continue
        if str(key) not in valid_items or value not in Rating.values:
            raise DomainError("bad_choice", "选票内容无效,请重新选择。", field="choices")
        cleaned[str(key)] = str(value)
    if not cleaned:
        raise DomainError("empty_ballot", "请至少对一个评议对象作出评价。", field="choices")
    return cleaned


def ballot_cast(*, session_id: int, code: str, choices: dict[str, Any]) -> Ballot:
    """Mark the code used and store the ballot, in one transaction. The code
    update is conditional (state = unused), so of any number of concurrent
    submissions of one code exactly one succeeds. Deliberately no audit entry
    and no logging (ADR 0014)."""
    normalised = normalise_code(code)
    if len(normalised) != CODE_LENGTH or any(ch not in ALPHABET for ch in normalised):
        raise code_rejected()
    with transaction.atomic():
        # Locking the session row orders casting against closing.
        session = AppraisalSession.objects.select_for_update().filter(pk=session_id).first()
        if session is None:
            raise DomainError("not_found", "评议不存在。")
        if session.state != State.FROZEN:
            raise wrong_state("本次评议不在投票时间内。")
        cleaned = _clean_choices(list(session.items.all()), choices)
        used = BallotCode.objects.filter(
            session=session, code_hash=code_hash(session.pk, normalised), state=CodeState.UNUSED
        ).update(state=CodeState.USED)
        if used != 1:
            raise code_rejected()
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    return Ballot.objects.create(
                        session=session, tracker=_random_string(TRACKER_LENGTH), choices=cleaned
                    )
            except IntegrityError:
                continue  # tracker collision (1 in 2^40 per pair): draw again
        raise RuntimeError("could not draw a unique tracker")


def codes_void(*, session: AppraisalSession, codes: list[str], actor: Actor) -> int:
    """Void the unused slips handed back (scanned or typed in) at close."""
    hashes = [code_hash(session.pk, normalise_code(c)) for c in codes if normalise_code(c)]
    with transaction.atomic():
        locked = AppraisalSession.objects.select_for_update().get(pk=session.pk)
        if locked.state != State.FROZEN:
            raise wrong_state("只有投票中的评议可以作废选票。")
        voided = locked.codes.filter(code_hash__in=hashes, state=CodeState.UNUSED).update(state=CodeState.VOID)
        if voided:
            audit_record(action="evaluation.codes_voided", actor=actor, obj=locked, detail={"count": voided})
    return voided


# --- Close, board, verification ------------------------------------------------


def suppressed_items(items: list[AppraisalItem], ballots: list[Ballot]) -> set[str]:
    """Staff items rated by fewer than MIN_BALLOTS_PER_PERSON ballots."""
    counts = board.tally([str(i.pk) for i in items], [b.choices for b in ballots])
    return {
        str(i.pk) for i in items if i.kind == ItemKind.STAFF and counts[str(i.pk)]["total"] < MIN_BALLOTS_PER_PERSON
    }


def published_choices(choices: dict[str, str], hidden: set[str]) -> dict[str, str]:
    return {k: v for k, v in choices.items() if k not in hidden}


def _sealed_head(session_id: int, ballots: list[Ballot]) -> str:
    # Over the full choices, kept only in the database: also detects an edit
    # of a choice that the board does not publish. Never published (three
    # possible values per item could be recovered from it by trial).
    hashes = board.chain(f"sealed:{session_id}", [(b.tracker, b.choices) for b in ballots])
    return hashes[-1] if hashes else board.genesis_hash(f"sealed:{session_id}")


def _reconcile(session: AppraisalSession, attendance: int, ballot_count: int) -> dict[str, Any]:
    codes = session.codes.filter(batch=session.slips_batch)
    counts = {state: codes.filter(state=state).count() for state in CodeState.values}
    printed = sum(counts.values())
    used, void, missing = counts[CodeState.USED], counts[CodeState.VOID], counts[CodeState.MISSING]
    problems = []
    if printed != used + void + missing:
        problems.append(f"打印 {printed} 张 ≠ 已投 {used} + 作废 {void} + 未交回 {missing}")
    if ballot_count != used:
        problems.append(f"选票 {ballot_count} 张与已使用的投票码 {used} 个不一致")
    if used > attendance:
        problems.append(f"已投 {used} 张多于到会人数 {attendance} 人")
    if missing:
        problems.append(f"{missing} 张空白选票未交回")
    return {
        "printed": printed,
        "used": used,
        "void": void,
        "missing": missing,
        "ballots": ballot_count,
        "attendance": attendance,
        "flagged": bool(problems),
        "problems": problems,
    }


def session_close(
    *, session: AppraisalSession, attendance: int, void_codes: list[str] | None, actor: Actor
) -> AppraisalSession:
    """Void the handed-back slips, mark the rest missing, reconcile, rewrite
    the ballot rows in tracker order (so that neither row order nor
    PostgreSQL's xmin/ctid nor SQLite's rowid keeps the order of casting) and
    seal the board's hash chain."""
    permissions.require_run(actor, session)
    WORKFLOW.check(Action.CLOSE, session)
    if not isinstance(attendance, int) or attendance < 0 or attendance > 100000:
        raise DomainError("bad_attendance", "请填写到会人数(非负整数)。", field="attendance")
    if void_codes:
        codes_void(session=session, codes=void_codes, actor=actor)
    with transaction.atomic():
        locked = AppraisalSession.objects.select_for_update().get(pk=session.pk)
        if locked.state != State.FROZEN:
            raise wrong_state("评议状态已被他人改变,请刷新后重试。")
        locked.codes.filter(state=CodeState.UNUSED).update(state=CodeState.MISSING)
        items = list(locked.items.all())
        ballots = sorted(locked.ballots.all(), key=lambda b: b.tracker)
        hidden = suppressed_items(items, ballots)
        hashes = board.chain(locked.pk, [(b.tracker, published_choices(b.choices, hidden)) for b in ballots])
        Ballot.objects.filter(session=locked).delete()
        Ballot.objects.bulk_create(
            [
                Ballot(id=b.id, session=locked, tracker=b.tracker, choices=b.choices, chain_hash=h)
                for b, h in zip(ballots, hashes, strict=True)
            ]
        )
        head = hashes[-1] if hashes else board.genesis_hash(locked.pk)
        locked.reconciliation = _reconcile(locked, attendance, len(ballots))
        locked.reconciliation["sealed_head"] = _sealed_head(locked.pk, ballots)
        locked.reconciliation["suppressed"] = sorted(hidden)
        transition(
            actor=actor,
            session=locked,
            action=Action.CLOSE,
            updates={
                "reconciliation": locked.reconciliation,
                "attendance": attendance,
                "head_hash": head,
                "closed_at": timezone.now(),
            },
            text=f"公示板首哈希 {head}",
            audit_extra={"head_hash": head, "ballots": len(ballots)},
        )
    return locked


def board_build(*, session: AppraisalSession) -> dict[str, Any]:
    """The published board (only after close)."""
    if session.state != State.CLOSED:
        raise wrong_state("投票结束前不公布选票公示板。")
    items = list(session.items.all())
    hidden = set(session.reconciliation.get("suppressed", []))
    ballots = list(session.ballots.order_by("tracker"))
    shown = [str(i.pk) for i in items if str(i.pk) not in hidden]
    return {
        "format": board.FORMAT,
        "session": {
            "id": session.pk,
            "village": session.village.label,
            "month": session.month.strftime("%Y-%m"),
        },
        "scale": list(board.SCALE),
        "min_ballots_per_person": MIN_BALLOTS_PER_PERSON,
        "items": [
            {"id": str(i.pk), "kind": i.kind, "label": i.label, "suppressed": str(i.pk) in hidden} for i in items
        ],
        "genesis_hash": board.genesis_hash(session.pk),
        "ballots": [
            {"tracker": b.tracker, "choices": published_choices(b.choices, hidden), "hash": b.chain_hash}
            for b in ballots
        ],
        "ballot_count": len(ballots),
        "tally": board.tally(shown, [published_choices(b.choices, hidden) for b in ballots]),
        "head_hash": session.head_hash,
        "reconciliation": {k: v for k, v in session.reconciliation.items() if k not in {"sealed_head", "suppressed"}},
    }


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    problems: list[str]
    head_hash: str
    ballots: int


def session_verify(*, session: AppraisalSession, anchor_head: str | None = None) -> VerifyResult:
    """Recompute the chain from the database rows and compare it with the
    recorded head (and with a head read out at the meeting, if given)."""
    if session.state != State.CLOSED:
        return VerifyResult(False, ["评议尚未结束,没有可核验的公示板。"], "", 0)
    items = list(session.items.all())
    ballots = list(session.ballots.order_by("tracker"))
    problems: list[str] = []
    hidden = set(session.reconciliation.get("suppressed", []))
    if suppressed_items(items, ballots) != hidden:
        problems.append("各对象的票数与结束时不一致(有选票被增删或修改)")
    prev = board.genesis_hash(session.pk)
    for ballot in ballots:
        prev = board.entry_hash(prev, ballot.tracker, published_choices(ballot.choices, hidden))
        if prev != ballot.chain_hash:
            problems.append(f"跟踪码 {ballot.tracker} 处哈希链不符(该选票或其前一张被修改、删除或插入)")
            break
    if prev != session.head_hash:
        problems.append("重新计算的链头哈希与结束时记录的不一致")
    if _sealed_head(session.pk, ballots) != session.reconciliation.get("sealed_head"):
        problems.append("选票的完整内容与结束时封存的不一致")
    if len(ballots) != session.reconciliation.get("ballots"):
        problems.append("选票张数与结束时记录的不一致")
    if anchor_head and anchor_head.strip().lower() != prev:
        problems.append("链头哈希与会上宣读、打印的不一致")
    return VerifyResult(not problems, problems, prev, len(ballots))


def results_build(*, session: AppraisalSession) -> list[dict[str, Any]]:
    """Per-item results, only after close; persons below the threshold are
    suppressed. Confirmed paper tallies (two matching entries) are added."""

    if session.state != State.CLOSED:
        raise wrong_state("投票结束前不公布评议结果。")
    items = list(session.items.all())
    ballots = list(session.ballots.all())
    counts = board.tally([str(i.pk) for i in items], [b.choices for b in ballots])
    paper = paper_tally_status(session=session)["confirmed"]
    rows = []
    for item in items:
        row = dict(counts[str(item.pk)])
        if paper is not None:
            for rating in board.SCALE:
                row[rating] += paper.counts.get(str(item.pk), {}).get(rating, 0)
            row["total"] = sum(row[r] for r in board.SCALE)
        suppressed = item.kind == ItemKind.STAFF and row["total"] < MIN_BALLOTS_PER_PERSON
        rows.append(
            {
                "item": item,
                "suppressed": suppressed,
                "counts": None if suppressed else {r: row[r] for r in board.SCALE},
                "total": None if suppressed else row["total"],
                "satisfaction": None
                if suppressed or not row["total"]
                else round(100 * (row["satisfied"] + 0.5 * row["basic"]) / row["total"], 1),
            }
        )
    return rows
