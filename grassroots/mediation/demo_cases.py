"""Writing one demo case with its history (see demo.py): the rows a case
has in each state, with dates in the past and events that follow the state
table."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.core.validators import make_uscc
from grassroots.regions.models import Node, Resident

from .demo_data import (
    AGREED_TERMS,
    FAILURE_REASONS,
    ORG_NAMES,
    ORG_WORDS,
    SOURCE_REFERENCES,
)
from .models import (
    Agreement,
    CaseEvent,
    CaseMediator,
    Committee,
    DisputeCase,
    EventKind,
    FollowUp,
    FollowUpMethod,
    JudicialStatus,
    Outcome,
    Party,
    PartyKind,
    Performance,
    Referral,
    RiskLevel,
    Session,
    SessionStatus,
)
from .services.cases import _next_number, name_key
from .services.workflow import DEFAULT_PERIOD_DAYS
from .states import Action, State


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class CaseBuilder:
    """Writes one case with its history up to `state`, events included."""

    def __init__(self, rng: random.Random, reference: datetime.date, staff: dict[str, Any]) -> None:
        self.rng = rng
        self.reference = reference
        self.staff = staff
        self.events: list[tuple[CaseEvent, datetime.datetime]] = []

    def event(
        self, case: DisputeCase, when: datetime.datetime, kind: str, text: str = "", actor: Any = None, **kw: Any
    ) -> None:
        event = CaseEvent.objects.create(case=case, kind=kind, text=text, actor=actor or self.staff["street"], **kw)
        self.events.append((event, when))

    def transition(
        self,
        case: DisputeCase,
        when: datetime.datetime,
        action: str,
        frm: str,
        to: str,
        text: str = "",
        actor: Any = None,
    ) -> None:
        self.event(case, when, EventKind.TRANSITION, text, actor, action=action, from_state=frm, to_state=to)

    def flush_event_times(self) -> None:
        for event, when in self.events:
            CaseEvent.objects.filter(pk=event.pk).update(created_at=when)
        self.events.clear()


def org_party(rng: random.Random, kind: str, index: int) -> dict[str, Any]:
    word = ORG_WORDS[index % len(ORG_WORDS)] + ORG_WORDS[(index * 3 + 1) % len(ORG_WORDS)]
    code = f"{index:02d}{rng.randrange(10**6):06d}"
    return {
        "kind": PartyKind.ORGANISATION,
        "name": ORG_NAMES[kind].format(x=word),
        "credit_code": make_uscc(authority="9", org_type="1", division="370303", org_code8=code),
        "representative": rng.choice("王张李刘孙赵") + "经理",
        "phone": f"0533-{rng.randrange(2000000, 9999999)}",
    }


def person(resident: Resident) -> dict[str, Any]:
    return {
        "kind": PartyKind.PERSON,
        "name": resident.name,
        "id_number": resident.id_number,
        "phone": resident.phone,
        "resident": resident,
    }


def build_case(
    builder: CaseBuilder,
    *,
    number_year: int,
    title: str,
    facts: str,
    kind: str,
    source: str,
    registered: datetime.date,
    grid: Node,
    state: str,
    parties: list[dict[str, Any]],
    committee: Committee,
    mediators: list[User],
    adviser: User,
    index: int,
) -> DisputeCase:
    rng, reference = builder.rng, builder.reference
    street = builder.staff["street"]
    amount = Decimal(rng.choice([0, 800, 1500, 3000, 5200, 12000, 26000, 68000])) if kind != "family" else None
    high = rng.random() < 0.15
    case = DisputeCase.objects.create(
        number=_next_number(number_year),
        registered_on=registered,
        source=source,
        source_reference=SOURCE_REFERENCES[source].format(year=number_year, n=index + 1),
        title=title,
        description=facts,
        dispute_type=kind,
        node=grid,
        amount=amount or None,
        risk_level=RiskLevel.HIGH if high else rng.choice([RiskLevel.LOW, RiskLevel.LOW, RiskLevel.MEDIUM]),
        escalation_risk=high and rng.random() < 0.7,
        risk_note="双方情绪激动,有肢体冲突苗头" if high else "",
        created_by=street,
    )
    for data in parties:
        Party.objects.create(case=case, name_key=name_key(data["name"]), **data)
    day = at(registered, 9, 30)
    DisputeCase.objects.filter(pk=case.pk).update(created_at=day)
    builder.event(case, day, EventKind.CREATED, f"来源:{case.get_source_display()}", to_state=State.REGISTERED)
    if state == State.REGISTERED:
        return case
    if state == State.DECLINED:
        DisputeCase.objects.filter(pk=case.pk).update(
            state=State.DECLINED,
            outcome=Outcome.DECLINED,
            decline_reason="该纠纷已由当事人向人民法院起诉,依法不再受理调解。",
            referral=Referral.COURT,
            concluded_at=at(registered, 15),
        )
        builder.transition(
            case, at(registered, 15), Action.DECLINE, State.REGISTERED, State.DECLINED, "纠纷已进入诉讼程序"
        )
        case.state = State.DECLINED
        return case
    accepted = min(registered + datetime.timedelta(days=rng.randrange(0, 3)), reference)
    team = [mediators[index % len(mediators)], mediators[(index + 1) % len(mediators)]]
    fields: dict[str, Any] = {
        "state": State.ACCEPTED,
        "accepted_on": accepted,
        "period_days": DEFAULT_PERIOD_DAYS,
        "due_date": accepted + datetime.timedelta(days=DEFAULT_PERIOD_DAYS),
        "committee": committee,
        "legal_adviser": adviser,
    }
    builder.transition(case, at(accepted, 10), Action.ACCEPT, State.REGISTERED, State.ACCEPTED)
    for position, mediator in enumerate(team):
        CaseMediator.objects.create(case=case, user=mediator, lead=position == 0)
    builder.event(
        case,
        at(accepted, 10, 30),
        EventKind.TEAM,
        f"调委会:{committee};法律顾问:{adviser};调解员:{team[0]}、{team[1]}",
    )
    if state == State.ACCEPTED:
        demo_session(
            case, team, max(accepted + datetime.timedelta(days=2), reference + datetime.timedelta(days=1)), held=False
        )
        DisputeCase.objects.filter(pk=case.pk).update(**fields)
        case.state = State.ACCEPTED
        return case
    first_session = accepted + datetime.timedelta(days=rng.randrange(1, 5))
    first_session = min(first_session, reference)
    demo_session(case, team, first_session, held=True)
    builder.transition(case, at(first_session, 11), Action.START, State.ACCEPTED, State.MEDIATING, "首次调解", team[0])
    fields["state"] = State.MEDIATING
    if state == State.MEDIATING:
        demo_session(case, team, reference + datetime.timedelta(days=rng.randrange(1, 6)), held=False)
        DisputeCase.objects.filter(pk=case.pk).update(**fields)
        case.state = State.MEDIATING
        return case
    concluded = min(first_session + datetime.timedelta(days=rng.randrange(3, 20)), reference)
    fields["concluded_at"] = at(concluded, 16)
    if state == State.FAILED or (state in (State.FOLLOWING_UP, State.CLOSED) and rng.random() < 0.25):
        referral = (
            Referral.ARBITRATION
            if kind == "labour"
            else rng.choice([Referral.COURT, Referral.COURT, Referral.PETITION])
        )
        fields.update(
            outcome=Outcome.FAILED, failure_reason=rng.choice(FAILURE_REASONS), referral=referral, state=State.FAILED
        )
        builder.transition(
            case, at(concluded, 16), Action.FAIL, State.MEDIATING, State.FAILED, fields["failure_reason"], team[0]
        )
        if state == State.FAILED:
            DisputeCase.objects.filter(pk=case.pk).update(**fields)
            case.state = State.FAILED
            return case
        closed = min(concluded + datetime.timedelta(days=2), reference)
        fields.update(state=State.CLOSED, close_summary="已引导当事人通过其他途径解决,结案。", closed_at=at(closed, 17))
        builder.transition(case, at(closed, 17), Action.CLOSE, State.FAILED, State.CLOSED, fields["close_summary"])
        DisputeCase.objects.filter(pk=case.pk).update(**fields)
        case.state = State.CLOSED
        return case
    deadline = concluded + datetime.timedelta(days=rng.choice([0, 15, 30, 60]))
    agreement = Agreement.objects.create(
        case=case,
        facts=facts,
        terms=rng.choice(AGREED_TERMS).format(amount=amount or 2000),
        performance_method="当面交付现金或银行转账,在调解中心交付" if amount else "按协议约定方式履行",
        performance_deadline=deadline if deadline > concluded else None,
        signed_on=concluded,
        created_by=team[0],
    )
    fields.update(outcome=Outcome.AGREED, state=State.AGREED)
    builder.transition(case, at(concluded, 16), Action.AGREE, State.MEDIATING, State.AGREED, "签订调解协议", team[0])
    if rng.random() < 0.3:
        applied = min(concluded + datetime.timedelta(days=3), reference)
        update: dict[str, Any] = {
            "judicial_status": JudicialStatus.APPLIED,
            "judicial_applied_on": applied,
            "judicial_court": "张店区人民法院",
        }
        decided = applied + datetime.timedelta(days=10)
        if decided <= reference:
            update.update(judicial_status=JudicialStatus.CONFIRMED, judicial_decided_on=decided)
        Agreement.objects.filter(pk=agreement.pk).update(**update)
        builder.event(
            case, at(applied, 14), EventKind.JUDICIAL, f"{applied:%Y-%m-%d} 向张店区人民法院申请司法确认", team[0]
        )
    if state == State.AGREED:
        DisputeCase.objects.filter(pk=case.pk).update(**fields)
        case.state = State.AGREED
        return case
    visited = min(concluded + datetime.timedelta(days=rng.randrange(10, 35)), reference)
    performance = rng.choice([Performance.PERFORMED] * 4 + [Performance.PARTIAL])
    FollowUp.objects.create(
        case=case,
        visited_on=visited,
        method=rng.choice([FollowUpMethod.PHONE, FollowUpMethod.VISIT]),
        performance=performance,
        note="当事人表示已按协议履行,邻里关系缓和。"
        if performance == Performance.PERFORMED
        else "已履行一部分,剩余款项约定下月付清。",
        created_by=team[0],
    )
    fields["state"] = State.FOLLOWING_UP
    builder.transition(case, at(visited, 10), Action.FOLLOW_UP, State.AGREED, State.FOLLOWING_UP, "回访", team[0])
    if state == State.CLOSED and performance == Performance.PERFORMED:
        closed = min(visited + datetime.timedelta(days=1), reference)
        fields.update(state=State.CLOSED, close_summary="协议已履行完毕,回访无异议,结案。", closed_at=at(closed, 17))
        builder.transition(
            case, at(closed, 17), Action.CLOSE, State.FOLLOWING_UP, State.CLOSED, fields["close_summary"]
        )
    DisputeCase.objects.filter(pk=case.pk).update(**fields)
    case.state = fields["state"]
    return case


def demo_session(case: DisputeCase, team: list[User], day: datetime.date, *, held: bool) -> None:
    session = Session.objects.create(
        case=case,
        scheduled_at=at(day, 9, 30),
        place="湖田街道一站式矛盾纠纷调解中心",
        status=SessionStatus.HELD if held else SessionStatus.SCHEDULED,
        held_at=at(day, 9, 30) if held else None,
        notes="调解员分别听取双方陈述,释明相关法律规定,双方同意继续协商。" if held else "",
        created_by=team[0],
    )
    if held:
        session.parties_present.set(list(case.parties.all()))
        session.staff_present.set(team)
