"""The shared world of the access matrix (ADR 0030): the small tree's two
villages (branch "a" and branch "b"), one object of each kind in each branch,
and users of every role. Objects are reached through the services where a
service exists; the matrix only needs them to exist in the right subtree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.core.files.base import ContentFile
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.addresses.models import Batch
from grassroots.addresses.services import addresses as address_services
from grassroots.addresses.services import campaigns as address_campaigns
from grassroots.addresses.tests.support import data_of, jpeg, room
from grassroots.bigscreen.services import screen_token_issue
from grassroots.channels.tests.support import failed_post, robot_at
from grassroots.core.actors import SYSTEM
from grassroots.core.audit import Action, audit_record
from grassroots.core.notifications.services import notify_user
from grassroots.deliberation.models import TopicProposal
from grassroots.deliberation.services import weekly
from grassroots.deliberation.tests.setup import make_representatives
from grassroots.economy.services import income as economy_income
from grassroots.economy.services import projects as economy_projects
from grassroots.economy.services import tenants as economy_tenants
from grassroots.economy.tests.support import company_at, plan_in_state
from grassroots.evaluation.services import sessions as appraisal
from grassroots.indicators.tests.support import indicator, ledger_at
from grassroots.livelihood.services import activities as livelihood_activities
from grassroots.livelihood.services.projects import project_photo_add
from grassroots.livelihood.tests.support import flagged, health_round_at, visited
from grassroots.livelihood.tests.support import project_at as livelihood_project_at
from grassroots.matters.models import Attachment, Channel, Matter, ReopenRequest
from grassroots.matters.services import intake
from grassroots.matters.tests.factories import category, matter_in_state
from grassroots.mediation.models import Session, SessionStatus
from grassroots.mediation.services import referrals
from grassroots.mediation.states import State as CaseState
from grassroots.mediation.tests.conftest import build_centre, make_case
from grassroots.party.services.board import board_compute
from grassroots.party.tests.support import branch_at, member_of, pair_of, training_at
from grassroots.publicity.tests.staff_helpers import closed_meeting, draft_of
from grassroots.regions.models import Node
from grassroots.registration.models import ReturnNotice
from grassroots.registration.tests import certificate_support, support_applications
from grassroots.relocation.tests.support import project_at, unit_at
from grassroots.safety.models import Checklist
from grassroots.safety.services import campaigns as safety_campaigns
from grassroots.safety.services.checklists import checklists_seed_defaults
from grassroots.safety.tests.support import inspect, premises_at, rectified_hazard
from grassroots.testing.factories import SmallTree, UserFactory, build_small_tree

SIDES = ("a", "b")


@dataclass
class World:
    tree: SmallTree
    # users[role]["top"] sits at the role's usual place (the subdistrict, or
    # branch a's village/grid for village staff and grid workers); ["a"] and
    # ["b"] sit in branch a and branch b.
    users: dict[str, dict[str, User]] = field(default_factory=dict)
    # objects[kind][side]
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)

    def obj(self, kind: str, side: str) -> Any:
        return self.objects[kind][side]

    def pk(self, kind: str, side: str) -> int:
        return int(self.objects[kind][side].pk)


def _user(username: str, role: str, node: Node) -> User:
    return cast(User, UserFactory(username=username, role=role, jurisdiction=node, display_name=username))


def _make_users(tree: SmallTree) -> dict[str, dict[str, User]]:
    users: dict[str, dict[str, User]] = {}
    for role in Role:
        if role == Role.GRID_WORKER:
            a, b = _user(f"m_{role}_a", role, tree.grid_a1), _user(f"m_{role}_b", role, tree.grid_b1)
            users[role] = {"top": a, "a": a, "b": b}
        elif role == Role.VILLAGE_STAFF:
            a, b = _user(f"m_{role}_a", role, tree.village_a), _user(f"m_{role}_b", role, tree.village_b)
            users[role] = {"top": a, "a": a, "b": b}
        else:
            users[role] = {
                "top": _user(f"m_{role}_top", role, tree.subdistrict),
                "a": _user(f"m_{role}_a", role, tree.village_a),
                "b": _user(f"m_{role}_b", role, tree.village_b),
            }
    return users


def _screen_token(user: User, node: Node) -> Any:
    """A display token of `node`'s big screen, its secret kept on the object for the kiosk URL."""
    token, secret = screen_token_issue(actor=user, node=node, label="指挥中心大屏", days=30)
    token.secret = secret  # type: ignore[attr-defined]
    return token


def build_world() -> World:
    tree = build_small_tree()
    world = World(tree=tree, users=_make_users(tree))
    objects = world.objects
    street = world.users[Role.SUBDISTRICT_STAFF]["top"]
    centre = build_centre(tree)
    handlers = {"a": world.users[Role.VILLAGE_STAFF]["a"], "b": world.users[Role.VILLAGE_STAFF]["b"]}
    grids = {"a": tree.grid_a1, "b": tree.grid_b1}
    units = {"a": tree.unit_a1, "b": tree.unit_b1}
    villages = {"a": tree.village_a, "b": tree.village_b}
    residents = {"a": tree.resident_a1, "b": tree.resident_b1}
    cat = category()
    objects["category"] = {"a": cat}

    def per_side(kind: str, make: Any) -> None:
        objects[kind] = {side: make(side) for side in SIDES}

    per_side("node", lambda s: grids[s])
    per_side("village", lambda s: villages[s])
    per_side("resident", lambda s: residents[s])
    per_side("matter", lambda s: matter_in_state("reported", node=grids[s], handler=handlers[s], cat=cat))
    per_side(
        "handling",
        lambda s: matter_in_state("handling", node=grids[s], handler=handlers[s], cat=cat, title="路灯不亮需要维修"),
    )
    per_side("resolved", lambda s: matter_in_state("resolved", node=grids[s], handler=handlers[s], cat=cat))
    per_side(
        "attachment",
        lambda s: Attachment.objects.create(
            matter=objects["matter"][s],
            file=ContentFile(b"\x89PNG\r\n\x1a\n", name="a.png"),
            original_name="现场.png",
            content_type="image/png",
            size=8,
            sha256="0" * 64,
        ),
    )
    per_side(
        "reopen",
        lambda s: ReopenRequest.objects.create(matter=objects["resolved"][s], reason="灯又坏了。"),
    )
    per_side(
        "visit",
        lambda s: intake.visit_log(
            actor=world.users[Role.GRID_WORKER][s], household=residents[s].household, notes="走访正常。", matters=[]
        ),
    )
    # Mediation: a case per branch, mediated by the centre's team, with a session and a referral.
    per_side("case", lambda s: make_case(centre, CaseState.MEDIATING, node=units[s]))
    per_side(
        "mediation_session",
        lambda s: Session.objects.create(
            case=objects["case"][s],
            scheduled_at=timezone.now() + datetime.timedelta(days=1),
            place="调解室",
            status=SessionStatus.SCHEDULED,
            created_by=centre.manager,
        ),
    )
    per_side("party", lambda s: objects["case"][s].parties.order_by("pk").first())
    per_side(
        "referral",
        lambda s: referrals.referral_create(
            actor=handlers[s],
            matter=objects["handling"][s],
            data=referrals.ReferralInput(dispute_type="neighbour", reason="两户因楼上漏水多次争吵,协调未果。"),
        ),
    )
    # Deliberation: a closed meeting with resolutions in each village, an open one, and a proposal.
    per_side(
        "meeting", lambda s: closed_meeting(handlers[s], villages[s], units[s], serial_base=300 + 50 * SIDES.index(s))
    )
    per_side("invitation", lambda s: objects["meeting"][s].invitations.order_by("pk").first())
    per_side("agenda_item", lambda s: objects["meeting"][s].agenda.order_by("pk").first())
    per_side("resolution", lambda s: objects["agenda_item"][s].resolution)
    per_side("rules", lambda s: villages[s].rule_sets.order_by("pk").first())
    per_side(
        "proposal",
        lambda s: TopicProposal.objects.create(
            village=villages[s], title="修缮村东桥", description="桥栏杆松动。", proposer_name="王大爷"
        ),
    )
    per_side("representative", lambda s: objects["invitation"][s].representative)
    objects["weekly"] = {"a": weekly.weekly_propose(subdistrict=tree.subdistrict)}
    # Evaluation: a draft appraisal per village with its items and roster.
    for s in SIDES:
        make_representatives(villages[s], units[s], 2, serial_base=600 + 10 * SIDES.index(s))
        Matter.objects.create(
            number=f"M2026{950 + SIDES.index(s):05d}",
            tracking_code=f"TC{950 + SIDES.index(s):08d}",
            node=grids[s],
            title="村道路灯安装",
            description="村道路灯安装",
            channel=Channel.WALK_IN,
            touches_collective=True,
            assignee=handlers[s],
            state="resolved",
            resolved_at=datetime.datetime(2026, 10, 15, 10, 0, tzinfo=timezone.get_current_timezone()),
        )
    per_side(
        "appraisal",
        lambda s: appraisal.session_create(village=villages[s], month=datetime.date(2026, 10, 1), actor=handlers[s])[0],
    )
    per_side("appraisal_item", lambda s: objects["appraisal"][s].items.order_by("pk").first())
    per_side("roster_entry", lambda s: objects["appraisal"][s].roster.order_by("pk").first())
    per_side("publication", lambda s: draft_of(handlers[s], objects["resolved"][s]))
    # Notifications belong to one user: branch b's is another user's.
    per_side("notification", lambda s: notify_user(handlers[s], "新事项", "有一件新事项。"))
    # Addresses: one per branch, collected with a photo, in a campaign over its village.
    per_side("address", lambda s: room(units[s], "101", road="建设路" if s == "a" else "店子街"))
    per_side(
        "address_campaign", lambda s: address_campaigns.campaign_open(actor=SYSTEM, node=villages[s], title="核采")
    )
    per_side("address_batch", lambda s: Batch.objects.get(campaign=objects["address_campaign"][s], grid=grids[s]))
    for s in SIDES:
        address = objects["address"][s]
        address_services.address_collect(actor=SYSTEM, address=address, data=data_of(address), photo=jpeg())
        address.refresh_from_db()
    # Party: a branch per village with a resident member, a pair, a training; a computed 红黄榜.
    per_side("party_branch", lambda s: branch_at(villages[s]))
    per_side("party_member", lambda s: member_of(objects["party_branch"][s], resident=residents[s]))
    per_side("party_pair", lambda s: pair_of(objects["party_member"][s], residents[s]))
    per_side("party_training", lambda s: training_at(villages[s]))
    objects["party_board"] = {
        "a": board_compute(actor=SYSTEM, subdistrict=tree.subdistrict, month=timezone.localdate().replace(day=1))
    }
    # Safety: one premises per branch, at its grid, with the branch's address.
    per_side("premises", lambda s: premises_at(grids[s], address=objects["address"][s]))
    checklists_seed_defaults()  # a transactional test may have flushed the seeded rows
    objects["checklist"] = {"a": Checklist.objects.get(code="warehouse-fire")}
    per_side(
        "inspection",
        lambda s: inspect(
            objects["premises"][s], inspectors=[world.users[Role.GRID_WORKER][s]], fail=1, photos=[jpeg()]
        ),
    )
    per_side("inspection_photo", lambda s: objects["inspection"][s].photos.get())
    # WeChat channels: a group robot per village, a failed post of the branch's publication.
    per_side("wecom_robot", lambda s: robot_at(villages[s], created_by=handlers[s]))
    per_side(
        "channel_post",
        lambda s: failed_post(objects["publication"][s], objects["wecom_robot"][s], created_by=handlers[s]),
    )
    # Indicators: a draft month in each branch's village, with one figure.
    objects["indicator"] = {"a": indicator()}
    per_side("indicator_ledger", lambda s: ledger_at(villages[s]))
    per_side("indicator_value", lambda s: objects["indicator_ledger"][s].values.get())
    per_side("screen_token", lambda s: _screen_token(world.users[Role.SUBDISTRICT_STAFF][s], villages[s]))
    per_side(
        "safety_campaign",
        lambda s: safety_campaigns.campaign_open(
            actor=SYSTEM,
            data=safety_campaigns.CampaignInput(
                title="打非治违",
                node=villages[s],
                starts_on=datetime.date(2026, 1, 1),
                due_on=datetime.date(2026, 12, 31),
            ),
        ),
    )
    # A hazard per branch with its notice issued and its rectification recorded.
    per_side("hazard", lambda s: rectified_hazard(objects["inspection"][s]))
    # Relocation: a project over each village, with one unit there.
    per_side("relocation_project", lambda s: project_at(villages[s], name=f"征迁项目{s}"))
    per_side("relocation_batch", lambda s: objects["relocation_project"][s].batches.order_by("number").first())
    per_side("relocation_unit", lambda s: unit_at(objects["relocation_project"][s], villages[s]))
    # Livelihood: the branch's resident flagged living alone, visited with an
    # opinion (not yet a matter), and a health round at the grid.
    per_side("care_flag", lambda s: flagged(residents[s]))
    per_side("care_visit", lambda s: visited(residents[s], opinion="希望小区多装几个扶手"))
    per_side("health_round", lambda s: health_round_at(grids[s]))
    # A 民生实事 project per village with a photo; its first milestone not yet reached.
    per_side("project", lambda s: livelihood_project_at(villages[s]))
    per_side("milestone", lambda s: objects["project"][s].milestones.get(position=1))
    per_side("project_photo", lambda s: project_photo_add(actor=SYSTEM, project=objects["project"][s], photo=jpeg()))
    # The Friday cleaning day per village, the branch's resident registered for it.
    per_side(
        "activity",
        lambda s: livelihood_activities.activity_create(
            actor=SYSTEM,
            data=livelihood_activities.ActivityInput(
                title="周五固定清扫日",
                kind="cleaning",
                node=villages[s],
                starts_on=datetime.date(2026, 1, 2),
                place="各网格",
                weekday=4,
            ),
        ),
    )
    per_side(
        "registration",
        lambda s: livelihood_activities.registration_add(
            actor=SYSTEM, activity=objects["activity"][s], resident=residents[s]
        ),
    )
    per_side(
        "activity_photo",
        lambda s: livelihood_activities.activity_photo_add(actor=SYSTEM, activity=objects["activity"][s], photo=jpeg()),
    )
    # Collective economy: per branch a company its village owns, a draft plan and an income entry
    # (the 联村党委 is party's organisation, ADR 0045).
    per_side("economy_company", lambda s: company_at(villages[s]))
    per_side(
        "economy_project",
        lambda s: economy_projects.project_save(
            actor=SYSTEM,
            node=villages[s],
            data=economy_projects.ProjectInput(name=f"重点项目{s}", level="district", stage="building"),
        ),
    )
    per_side(
        "economy_tenant",
        lambda s: economy_tenants.tenant_create(
            actor=SYSTEM, project=objects["economy_project"][s], company="鲁中机电", area_m2=Decimal("1200")
        ),
    )
    per_side(
        "economy_plot",
        lambda s: economy_projects.plot_create(
            actor=SYSTEM,
            village=villages[s],
            name="一号地块",
            area_mu=Decimal("12.50"),
            project=objects["economy_project"][s],
        ),
    )
    per_side("economy_plan", lambda s: plan_in_state(objects["economy_company"][s], "draft"))
    per_side(
        "economy_income",
        lambda s: economy_income.income_record(
            actor=SYSTEM,
            village=villages[s],
            month=datetime.date(2026, 1, 1),
            source="market",
            amount=Decimal("85000.00"),
        ),
    )
    # Registration is not tree-scoped (ADR 0011): one of each, in branch a.
    window = world.users[Role.WINDOW_STAFF]["top"]
    support_applications.seed_catalogue()
    returned = support_applications.returned(window)
    objects["application"] = {"a": returned}
    objects["material"] = {"a": returned.materials.order_by("pk").first()}
    objects["return_notice"] = {"a": ReturnNotice.objects.filter(application=returned).first()}
    certificate = certificate_support.registered(actor=window)
    objects["certificate"] = {"a": certificate}
    objects["organisation"] = {"a": certificate.organisation}
    objects["renewal"] = {"a": certificate_support.approved_renewal(organisation=certificate.organisation)}
    objects["audit"] = {"a": audit_record(action=Action.LOGIN, actor=street)}
    return world
