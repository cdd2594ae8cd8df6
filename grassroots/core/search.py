"""Bigram full-text search that works for 2-character Chinese queries.

Why our own index: pg_trgm and SQLite's FTS5 trigram tokenizer need three
characters, and a Chinese word is usually two (楼道, 漏水); zhparser is not
packaged for Debian.

Design
- Normalise (`normalize`): NFKC (full-width digits and letters become ASCII),
  casefold, and every run of characters that is not a letter or digit
  (punctuation, spaces, symbols) becomes one space. `SearchEntry.text` stores
  this normalised text, so the confirmation below is a plain substring test.
- Tokens (`bigrams`): within each CJK run (Han, kana) the overlapping bigrams
  plus the run's last character as a unigram; every other letter/digit run is
  one whole token (cut to MAX_TOKEN characters). The trailing unigram makes
  single-character queries exact: each occurrence of a character is either
  the first half of a bigram or the last character of a run, so the prefix
  query `字*` finds all of them.
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
- Order: most recently indexed first (`updated_at`, then id).
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from .search_models import SearchEntry

FTS_TABLE = "core_search_fts"
PG_INDEX = "core_search_bigrams_gin"
# Must stay identical to the indexed expression in migration 0002.
PG_VECTOR_SQL = "array_to_tsvector(array_remove(string_to_array(\"core_searchentry\".\"bigrams\", ' '), ''))"

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3007"
_CJK_RUN = re.compile(f"([{_CJK}]+)")
_SEPARATORS = re.compile(r"[\W_]+")
# Letter/digit runs are cut to this length (PostgreSQL refuses lexemes over
# 2 KB). Query runs are prefix terms cut the same way, so long words still
# match; the LIKE confirmation keeps results exact.
MAX_TOKEN = 64


def normalize(text: str) -> str:
    """NFKC, casefold, and each run of non-alphanumeric characters to one space."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(_SEPARATORS.sub(" ", folded).split())


def _runs(normalized: str) -> list[list[tuple[bool, str]]]:
    """Segments (space-separated) split into (is_cjk, run) pieces."""
    return [
        [(bool(_CJK_RUN.fullmatch(piece)), piece) for piece in _CJK_RUN.split(segment) if piece]
        for segment in normalized.split()
    ]


def _dedupe(tokens: list[str]) -> list[str]:
    return list(dict.fromkeys(tokens))


def bigrams(text: str) -> list[str]:
    """Index tokens of `text`: CJK bigrams plus each CJK run's last character,
    and whole letter/digit runs; in order of first occurrence, without duplicates."""
    tokens: list[str] = []
    for segment in _runs(normalize(text)):
        for is_cjk, run in segment:
            if is_cjk:
                tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
                tokens.append(run[-1])
            else:
                tokens.append(run[:MAX_TOKEN])
    return _dedupe(tokens)


def _query_terms(normalized: str) -> list[tuple[str, bool]]:
    """(term, is_prefix) pairs that every matching entry's tokens satisfy."""
    terms: list[tuple[str, bool]] = []
    for segment in _runs(normalized):
        for is_cjk, run in segment:
            if is_cjk and len(run) >= 2:
                terms.extend((run[i : i + 2], False) for i in range(len(run) - 1))
            else:
                terms.append((run[:MAX_TOKEN], True))
    return list(dict.fromkeys(terms))


def _index_condition(terms: list[tuple[str, bool]]) -> RawSQL | None:
    # Terms hold only letters and digits (normalize() removed everything
    # else), so quoting them cannot break the query syntax.
    if connection.vendor == "sqlite":
        match = " AND ".join(f'"{term}"' + ("*" if prefix else "") for term, prefix in terms)
        return RawSQL(  # noqa: S611 - constant SQL; the MATCH expression is a bound parameter
            f'"core_searchentry"."id" IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)',  # noqa: S608
            (match,),
            output_field=BooleanField(),
        )
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"'{term}'" + (":*" if prefix else "") for term, prefix in terms)
        # Constant SQL; the tsquery is a bound parameter.
        return RawSQL(f"{PG_VECTOR_SQL} @@ %s::tsquery", (tsquery,), output_field=BooleanField())  # noqa: S611
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


def search_ids(*, query: str, obj_type: str, path_prefix: str | None = None, limit: int = 200) -> list[str]:
    """Ids of objects of `obj_type` (under `path_prefix`, when given) whose text
    contains every segment of `query`; newest first. Empty query: no results."""
    normalized = normalize(query)
    terms = _query_terms(normalized)
    if not terms or limit <= 0:
        return []
    entries = SearchEntry.objects.filter(object_type=obj_type)
    if path_prefix:
        entries = entries.filter(path__startswith=path_prefix)
    condition = _index_condition(terms)
    if condition is not None:
        entries = entries.filter(condition)
    for segment in normalized.split():
        entries = entries.filter(text__contains=segment)
    return list(entries.order_by("-updated_at", "-id").values_list("object_id", flat=True)[:limit])
