"""Open311 GeoReport v2 records: categories become services, matters become
service requests. Plain dicts in the spec's field order; `render.py` writes
them as JSON or XML.

What the public list holds (the read endpoints need no login; ADR 0018):
only matters whose reporter agreed to publication, in a category that is
neither sensitive nor under a sensitive one (uncategorised matters wait for
staff to judge). A request shows the category, a coarse place (the
subdistrict, village and grid: never building, unit, room, the free-text
location or coordinates), the title and text scrubbed of phone, ID and card
numbers in any form (`core.scrubbing`), the state as open/closed with its
name, the responsible unit and the due date. Never the reporter (name,
phone, resident record), the tracking code, internal notes or staff replies
(written to the reporter, they may name them)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from grassroots.core.scrubbing import scrub_personal_numbers
from grassroots.regions.models import Level, Node

from ..models import Category
from ..states import OPEN_STATES, State

DESCRIPTION_MAX = 4000  # the request schema's maxLength
NODE_ATTRIBUTE = "node"
PUBLIC_ATTRIBUTE = "public"
# The finest level a public request names: a grid, never a building or unit.
COARSEST_HIDDEN_LEVEL = Level.BUILDING


def w3_datetime(value: datetime.datetime | None) -> str | None:
    """ISO 8601 with the offset, as the spec's w3 profile requires."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def end_of_day(day: datetime.date | None) -> str | None:
    """A due date is a whole working day: expected by its end."""
    if day is None:
        return None
    moment = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return w3_datetime(timezone.make_aware(moment))


def status_of(state: str) -> str:
    return "open" if state in OPEN_STATES else "closed"


# --- Services -------------------------------------------------------------------


def _keywords(category: Category) -> str:
    words = [w for w in re.split(r"[、/,,和及与]+", category.name) if w]
    if category.parent is not None:
        words.append(category.parent.name)
    return ",".join(dict.fromkeys(words))


def service_record(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or None,
        # Every service has the `node` attribute (where in the tree), so
        # clients should read the service definition.
        "metadata": True,
        "type": "realtime",
        "keywords": _keywords(category),
        "group": category.parent.name if category.parent else None,
    }


def service_definition_record(category: Category, villages: Iterable[Node]) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": NODE_ATTRIBUTE,
                "datatype": "singlevaluelist",
                # Optional: a key of a village-level account defaults to its own node.
                "required": False,
                "datatype_description": "村/社区的 12 位统计用区划代码",
                "order": 1,
                "description": (
                    "事项发生在哪个村/社区。使用村/社区、网格账号的 api_key 提交时可省略,默认为该账号的辖区。"
                ),
                "values": [{"key": str(v.code), "name": v.label} for v in villages],
            },
            {
                "variable": True,
                "code": PUBLIC_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "true 或 false,默认 false",
                "order": 2,
                "description": (
                    "反映人是否同意公开反映内容(不含个人信息)。同意时,内容去掉电话、身份证号后出现在公开的"
                    "requests 列表中,地点只到村/社区或网格,不显示反映人"
                    + (";此分类涉及隐私,任何情况下都不公开。" if category.is_sensitive else "。")
                ),
                "values": [{"key": "true", "name": "同意公开"}, {"key": "false", "name": "不公开"}],
            },
        ],
    }


# --- Requests -------------------------------------------------------------------

# Exactly what a record shows, read as plain rows (no model instances: a
# list holds up to 1000). The reporter's encrypted phone is never loaded,
# let alone decrypted, for a public answer; neither are the free-text
# location and the coordinates.
REQUEST_FIELDS = (
    "number",
    "path",
    "state",
    "title",
    "description",
    "due_date",
    "deadline_days",
    "created_at",
    "updated_at",
    "category__code",
    "category__name",
    "category__deadline_days",
    "responsible_unit__name",
    "merged_into__number",
)
Row = dict[str, Any]
_STATE_LABELS = dict(State.choices)


def _prefixes(path: str) -> list[str]:
    steplen = Node.steplen
    return [path[:i] for i in range(steplen, len(path) + 1, steplen)]


def node_labels(rows: Iterable[Row]) -> dict[str, str]:
    """Path → label of the subdistrict, village and grid on the way to each
    matter's node, in one query; buildings and units are not public."""
    paths = {prefix for row in rows for prefix in _prefixes(row["path"])}
    if not paths:
        return {}
    return {
        node["path"]: node["short_name"] or node["name"]
        for node in Node.objects.filter(path__in=paths, level__lt=COARSEST_HIDDEN_LEVEL).values(
            "path", "short_name", "name"
        )
    }


def _address(row: Row, labels: dict[str, str]) -> str:
    """The coarse place: subdistrict, village/community and grid."""
    return " ".join(labels[p] for p in _prefixes(row["path"]) if p in labels)


def _service_notice(row: Row) -> str | None:
    if row["state"] == State.MERGED and row["merged_into__number"]:
        return f"已与事项 {row['merged_into__number']} 合并办理。"
    if row["due_date"] is not None:
        limit = f"(时限 {row['deadline_days']} 个工作日)" if row["deadline_days"] else ""
        return f"办理期限 {row['due_date']:%Y-%m-%d}{limit}。"
    if row["category__code"] is not None and row["state"] == State.REPORTED:
        return f"受理后 {row['category__deadline_days']} 个工作日内办理。"
    return None


def _description(row: Row) -> str | None:
    if row["state"] == State.REJECTED:
        return None  # not accepted: the text is not published
    return scrub_personal_numbers(f"{row['title']}\n{row['description']}")[:DESCRIPTION_MAX]


def request_record(row: Row, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "service_request_id": row["number"],
        "status": status_of(row["state"]),
        "status_notes": str(_STATE_LABELS.get(row["state"], row["state"])),
        "service_name": row["category__name"],
        "service_code": row["category__code"],
        "description": _description(row),
        "agency_responsible": row["responsible_unit__name"],
        "service_notice": _service_notice(row),
        "requested_datetime": w3_datetime(row["created_at"]),
        "updated_datetime": w3_datetime(row["updated_at"]),
        "expected_datetime": end_of_day(row["due_date"]),
        "address": _address(row, labels),
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def request_records(rows: list[Row]) -> list[dict[str, Any]]:
    labels = node_labels(rows)
    return [request_record(row, labels) for row in rows]
