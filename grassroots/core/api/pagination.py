"""Page-number pagination with Chinese, per-field errors (ADR 0029): a page
that is not a positive integer is a 400 on `page`; a page past the last is a
404 that says how many pages there are."""

from __future__ import annotations

import re
from typing import Any

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

PAGE_RE = re.compile(r"^[0-9]{1,9}$")


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        raw = request.query_params.get(self.page_query_param)
        if raw not in (None, "", *self.last_page_strings) and not (PAGE_RE.match(raw) and int(raw) >= 1):
            raise ValidationError({self.page_query_param: ["页码应为正整数,从 1 开始。"]})
        raw_size = request.query_params.get(self.page_size_query_param)
        if raw_size not in (None, "") and not (PAGE_RE.match(raw_size) and int(raw_size) >= 1):
            raise ValidationError({self.page_size_query_param: [f"每页条数应为 1–{self.max_page_size} 的整数。"]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:  # DRF's only NotFound here: a page past the last
            raise NotFound(f"第 {raw} 页没有数据,请从第 1 页开始。") from exc
