"""Training from history, versions, the weekly job, the suggestion recorded
on the accept form and the final choice logged by the acceptance."""

from __future__ import annotations

from pathlib import Path

import pytest

from grassroots.matters.forms.staff import AcceptForm
from grassroots.matters.models import Matter
from grassroots.matters.services import lifecycle
from grassroots.matters.services.advice import MatterAdvice
from grassroots.matters.states import State
from grassroots.matters.tests.factories import report
from grassroots.routing import services, tasks
from grassroots.routing.errors import RoutingError
from grassroots.routing.models import RouterVersion, Suggestion

from .corpus import corpus
from .support import CODES, install_version

pytestmark = pytest.mark.django_db


def _advice(form: AcceptForm) -> MatterAdvice:
    assert form.advice is not None  # routing registers its advisor
    return form.advice


def _closed_history(tree, cats, *, per_class: int = 6) -> None:
    """Closed matters with their final category (bulk: the lifecycle is not
    what is under test here)."""
    texts, labels = corpus(per_class=per_class, seed=5)
    rows = []
    for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
        rows.append(
            Matter(
                node=tree.village_a,
                path=tree.village_a.path,
                number=f"T{i:05d}",
                tracking_code=f"TRK{i:06d}",
                title=text[:20],
                description=text,
                category=cats[label],
                state=State.CLOSED,
            )
        )
    Matter.objects.bulk_create(rows)


def test_train_from_history_registers_an_active_version_with_its_file(tree, cats, model_dir):
    _closed_history(tree, cats)
    version = services.router_train_from_history(force=True, cv=3)
    assert version is not None and version.active and version.number == 1
    assert version.rows == 24 and version.class_count == 4
    assert version.cv_folds == 3 and version.cv_macro_f1 is not None and 0 <= version.cv_macro_f1 <= 1
    assert set(version.per_class_f1) == {code for code, *_ in CODES.values()}
    assert (Path(model_dir) / version.file_name).is_file()
    again = services.router_train_from_history(force=True, cv=0)
    assert again is not None and again.number == 2 and again.cv_macro_f1 is None
    assert list(RouterVersion.objects.filter(active=True)) == [again]


def test_history_too_small_is_refused_in_chinese(tree, cats):
    with pytest.raises(RoutingError, match="不足"):
        services.router_train_from_history(force=True)
    assert not RouterVersion.objects.exists()


def test_classes_with_too_few_examples_are_left_out(tree, cats):
    _closed_history(tree, cats, per_class=6)
    Matter.objects.filter(category=cats["教育文体"]).exclude(
        pk__in=Matter.objects.filter(category=cats["教育文体"]).values("pk")[:2]
    ).delete()
    _texts, labels = services.history_training_set()
    assert "rt-edu" not in labels and len(set(labels)) == 3


def test_weekly_job_trains_only_when_enough_corrections(tree, staff, cats, settings):
    settings.ROUTING_RETRAIN_MIN_CORRECTIONS = 2
    _closed_history(tree, cats)
    assert tasks.retrain_router() == 1  # no model yet: trains
    assert tasks.retrain_router() is None  # nothing new
    version = RouterVersion.objects.get()
    for i in range(2):
        matter = report(node=tree.village_a, title=f"学校乱收费{i}", description="学校补课乱收费,家长意见很大。")
        Suggestion.objects.create(
            matter=matter,
            version=version,
            ranked=[{"category": cats["教育文体"].pk, "confidence": 0.8}],
            top_category=cats["教育文体"],
            top_confidence=0.8,
            accepted_as_is=False,
        )
    assert tasks.retrain_router() == 2
    assert RouterVersion.objects.get(active=True).corrections_seen == 2


def test_weekly_job_without_history_does_nothing(db):
    assert tasks.retrain_router() is None
    assert not RouterVersion.objects.exists()


def test_accept_form_preselects_the_top_suggestion_and_records_it(tree, staff, version, cats):
    matter = report(node=tree.village_a, title="工厂排污河道发臭", description="村东工厂晚上偷偷排污水,河道发臭。")
    form = AcceptForm(matter=matter, user=staff.village_a, action="accept")
    assert _advice(form).options[0].category_id == cats["环境保护"].pk
    assert form.initial["category"] == cats["环境保护"].pk
    assert _advice(form).options[0].unit == "街道生态环境办"
    assert _advice(form).options[0].deadline_days == 5
    assert len(_advice(form).options) == 3
    suggestion = Suggestion.objects.get(matter=matter)
    assert suggestion.version == version and suggestion.path == matter.path
    assert suggestion.top_category == cats["环境保护"] and suggestion.accepted_as_is is None
    # Shown again: the first suggestion stands (it is the one measured).
    AcceptForm(matter=matter, user=staff.village_a, action="accept")
    assert Suggestion.objects.count() == 1


def test_acceptance_logs_the_final_choice_as_is(tree, staff, version, cats):
    matter = report(node=tree.village_a, title="工厂排污河道发臭", description="村东工厂晚上偷偷排污水,河道发臭。")
    AcceptForm(matter=matter, user=staff.village_a, action="accept")
    lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=cats["环境保护"])
    s = Suggestion.objects.get(matter=matter)
    assert (s.final_category, s.accepted_as_is, s.in_top3, s.decided_by) == (
        cats["环境保护"],
        True,
        True,
        staff.village_a,
    )


def test_acceptance_logs_a_correction(tree, staff, version, cats):
    matter = report(node=tree.village_a, title="工厂排污河道发臭", description="村东工厂晚上偷偷排污水,河道发臭。")
    AcceptForm(matter=matter, user=staff.village_a, action="accept")
    ranked = [int(x["category"]) for x in Suggestion.objects.get(matter=matter).ranked]
    other = next(c for c in cats.values() if c.pk not in ranked)
    lifecycle.matter_accept(actor=staff.street, matter=matter, category=other)
    s = Suggestion.objects.get(matter=matter)
    assert (s.final_category, s.accepted_as_is, s.in_top3, s.decided_by) == (other, False, False, staff.street)
    assert services.corrections_count() == 1


def test_low_confidence_is_shown_but_never_preselected(tree, staff, version, cats, settings):
    settings.ROUTING_LOW_CONFIDENCE = 0.999
    matter = report(node=tree.village_a, title="工厂排污河道发臭", description="村东工厂晚上偷偷排污水,河道发臭。")
    form = AcceptForm(matter=matter, user=staff.village_a, action="accept")
    assert _advice(form).low_confidence and _advice(form).preselect is None
    assert form.initial["category"] is None
    assert _advice(form).options
    assert Suggestion.objects.get(matter=matter).low_confidence


def test_without_a_model_the_form_works_as_before_with_a_hint(tree, staff, cats):
    matter = report(node=tree.village_a)
    form = AcceptForm(matter=matter, user=staff.village_a, action="accept")
    assert _advice(form).options == [] and "暂无分类推荐模型" in _advice(form).hint
    assert form.initial["category"] is None
    lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=cats["城乡建设"])
    assert not Suggestion.objects.exists()


def test_a_missing_model_file_falls_back_to_the_hint(tree, staff, version, model_dir):
    (Path(model_dir) / version.file_name).unlink()
    services._loaded.clear()
    matter = report(node=tree.village_a)
    form = AcceptForm(matter=matter, user=staff.village_a, action="accept")
    assert _advice(form).options == [] and _advice(form).hint
    assert not Suggestion.objects.exists()


def test_inactive_categories_are_never_suggested(tree, staff, version, cats):
    cats["环境保护"].active = False
    cats["环境保护"].save()
    matter = report(node=tree.village_a, title="工厂排污河道发臭", description="村东工厂晚上偷偷排污水,河道发臭。")
    form = AcceptForm(matter=matter, user=staff.village_a, action="accept")
    assert cats["环境保护"].pk not in [o.category_id for o in _advice(form).options]


def test_model_loaded_once_per_process(version, synthetic_model):
    services._loaded.clear()
    first = services.router_for(version)
    assert services.router_for(version) is first
    install_version(synthetic_model)
    newer = RouterVersion.objects.get(active=True)
    assert services.router_for(newer) is not first


def test_demo_trains_and_accepts_a_few_with_one_correction(tree, staff, cats):
    from grassroots.routing.demo import generate_demo_routing

    _closed_history(tree, cats)
    texts, _labels = corpus(per_class=2, seed=11)
    for text in texts:
        report(node=tree.village_a, title=text[:20], description=text)
    summary = generate_demo_routing(accept=4)
    assert "v1" in summary and "演示受理 4 件(其中改选 1 件)" in summary
    decided = Suggestion.objects.filter(decided_at__isnull=False)
    assert decided.count() == 4
    assert decided.filter(accepted_as_is=False).count() == 1
    assert Matter.objects.filter(state=State.ACCEPTED).count() == 4
