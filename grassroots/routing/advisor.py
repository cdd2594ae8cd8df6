"""Routing's advisor, registered into matters (matters/services/advice.py):
the accept form's suggestion for a matter, and the final choice logged."""

from __future__ import annotations

from typing import Any

from grassroots.matters.models import Category, Matter
from grassroots.matters.services.advice import CategoryOption, MatterAdvice

from . import selectors, services
from .config import low_confidence

NO_MODEL_HINT = "暂无分类推荐模型(训练后将自动推荐分类),请人工选择分类。"


class RouterAdvisor:
    suggest_url_name = "routing:suggest"

    def advise(self, *, matter: Matter, actor: Any) -> MatterAdvice:
        active = selectors.active_version()
        if active is None:
            return MatterAdvice(hint=NO_MODEL_HINT)
        suggestion = selectors.suggestion_of(matter=matter)
        if suggestion is None:
            ranked = selectors.rank_text(version=active, text=f"{matter.title} {matter.description}")
            if not ranked:
                return MatterAdvice(hint=NO_MODEL_HINT)
            suggestion = services.suggestion_for_matter(matter=matter, ranked=ranked, version=active)
        options = selectors.suggestion_options(suggestion=suggestion, matter=matter)
        low = low_confidence(suggestion.top_confidence)
        return MatterAdvice(
            options=options,
            preselect=None if low or not options else options[0].category_id,
            low_confidence=low,
            model_label=suggestion.version.label,
        )

    def chosen(self, *, matter: Matter, category: Category, actor: Any) -> None:
        services.suggestion_record_choice(matter=matter, category=category, actor=actor)


ADVISOR = RouterAdvisor()

__all__ = ["ADVISOR", "CategoryOption", "RouterAdvisor"]
