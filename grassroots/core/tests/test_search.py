from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.models import IntegerField
from django.db.models.functions import Cast
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.core import search
from grassroots.core.models import SearchEntry
from grassroots.core.search import (
    bigrams,
    fold_chinese,
    normalize,
    search_ids,
    search_index,
    search_matches,
    search_remove,
)

pytestmark = pytest.mark.django_db

migration_0002 = importlib.import_module("grassroots.core.migrations.0002_search_index")
migration_0005 = importlib.import_module("grassroots.core.migrations.0005_fold_traditional_search")
migration_0007 = importlib.import_module("grassroots.core.migrations.0007_number_word_tokens")


def _index(obj_id, text, path="001.001", obj_type="matter"):
    search_index(obj_type=obj_type, obj_id=obj_id, path=path, text=text)


# --- Tokens ---------------------------------------------------------------------


def test_normalize_folds_width_case_and_punctuation():
    assert normalize("３号楼，Ａｂｃ！！  楼道灯") == "3号楼 abc 楼道灯"
    assert normalize("  \t ") == ""


def test_normalize_folds_traditional_to_simplified():
    assert normalize("樓道燈壞了") == "楼道灯坏了"
    assert fold_chinese("體育館 後門") == "体育馆 后门"
    # Simplified text, digits and letters are left alone.
    assert fold_chinese("3号楼楼道灯 WiFi") == "3号楼楼道灯 WiFi"
    # Character for character, so a folded query stays a substring of the folded text.
    assert len(fold_chinese("乾隆年間的樓閣")) == len("乾隆年間的樓閣")


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=20))
def test_folding_is_idempotent(text):
    # The reindex migration folds stored (already normalised) text again.
    assert normalize(normalize(text)) == normalize(text)


def test_traditional_text_is_found_by_simplified_query_and_back():
    _index(1, "3號樓樓道燈壞了")
    _index(2, "体育场后门积水")
    assert search_ids(query="楼道", obj_type="matter") == ["1"]
    assert search_ids(query="樓道燈", obj_type="matter") == ["1"]
    assert search_ids(query="體育場", obj_type="matter") == ["2"]
    assert search_ids(query="灯", obj_type="matter") == ["1"]


def test_bigrams_of_cjk_runs_and_whole_ascii_tokens():
    assert bigrams("3号楼楼道灯坏了") == ["3", "3号", "号楼", "楼楼", "楼道", "道灯", "灯坏", "坏了", "了"]
    assert bigrams("WiFi 密码,v2") == ["wifi", "密码", "码", "v2"]
    assert bigrams("水") == ["水"]
    assert bigrams("，。 ") == []


def test_number_followed_by_a_word_is_also_one_joint_token():
    assert bigrams("18号3栋2单元501室") == [
        "18", "18号", "号", "3", "3栋", "栋", "2", "2单", "单元", "元", "501", "501室", "室",
    ]  # fmt: skip
    # Only a letter/digit run followed by a CJK character in the same segment.
    assert bigrams("单元2 v2") == ["单元", "元", "2", "v2"]
    assert search.is_joint_token("2单") and not search.is_joint_token("单元") and not search.is_joint_token("v2")


def test_number_with_its_word_is_one_exact_term():
    # A complete number (followed by a word) is the narrow joint term, not the prefix 2*.
    assert search._query_terms(normalize("2单元")) == [("2单", False), ("单元", False)]
    assert search._query_terms(normalize("2")) == [("2", True)]
    assert search._query_terms(normalize("3号楼 wifi")) == [("3号", False), ("号楼", False), ("wifi", True)]


def test_number_and_word_queries_match_from_the_number_start():
    _index(1, "湖田街道西张村人民路18号3栋2单元201室")
    _index(2, "湖田街道西张村人民路24号12栋12单元202室")
    _index(3, "湖田街道西张村人民路2号1栋1单元101室")
    assert search_ids(query="2单元", obj_type="matter") == ["1"]
    assert search_ids(query="12单元", obj_type="matter") == ["2"]
    assert search_ids(query="2号", obj_type="matter") == ["3"]
    assert sorted(search_ids(query="20", obj_type="matter")) == ["1", "2"]
    assert search_ids(query="201室", obj_type="matter") == ["1"]
    assert search_ids(query="2单", obj_type="matter") == ["1"]


# --- Queries --------------------------------------------------------------------


def test_two_character_query_needs_contiguous_characters():
    _index(1, "3号楼楼道灯坏了")
    _index(2, "楼上漏水道路")  # has 楼 and 道, but never 楼道
    assert search_ids(query="楼道", obj_type="matter") == ["1"]


def test_longer_query():
    _index(1, "3号楼楼道灯坏了,晚上很黑")
    _index(2, "楼道堆放杂物")
    assert search_ids(query="楼道灯坏了", obj_type="matter") == ["1"]
    assert sorted(search_ids(query="楼道", obj_type="matter")) == ["1", "2"]


def test_mixed_query_with_digits_and_ascii():
    _index(1, "3号楼 WiFi 信号差")
    _index(2, "5号楼 WiFi 信号差")
    _index(3, "3号楼 电梯故障")
    assert search_ids(query="3号楼 wifi", obj_type="matter") == ["1"]
    # Full-width input is normalised like the text.
    assert search_ids(query="３号楼　ＷＩＦＩ", obj_type="matter") == ["1"]
    # Letters and digits match from their start.
    assert search_ids(query="wi", obj_type="matter") == ["2", "1"]


def test_single_character_query_finds_every_position():
    _index(1, "楼道灯坏了")  # 了 is the last character of the run
    _index(2, "了解情况")  # 了 starts a bigram
    _index(3, "漏水")
    assert sorted(search_ids(query="了", obj_type="matter")) == ["1", "2"]
    assert search_ids(query="漏", obj_type="matter") == ["3"]


def test_every_query_segment_must_match():
    _index(1, "楼道灯坏了")
    _index(2, "楼道堆放杂物")
    assert search_ids(query="楼道 灯", obj_type="matter") == ["1"]
    assert search_ids(query="楼道 电梯", obj_type="matter") == []


def test_segments_do_not_match_across_punctuation():
    _index(1, "楼上漏水,道路积水")
    assert search_ids(query="水道", obj_type="matter") == []
    assert search_ids(query="水 道", obj_type="matter") == ["1"]


def test_path_prefix_and_object_type_scope_results():
    _index(1, "楼道灯坏了", path="001.001")
    _index(2, "楼道灯坏了", path="001.002")
    _index(3, "楼道灯坏了", path="001.001", obj_type="meeting")
    assert search_ids(query="楼道", obj_type="matter", path_prefix="001.001") == ["1"]
    assert sorted(search_ids(query="楼道", obj_type="matter", path_prefix="001")) == ["1", "2"]
    assert search_ids(query="楼道", obj_type="meeting") == ["3"]


def test_newest_first_and_limit():
    for i in range(5):
        _index(i, f"第{i}次反映楼道问题")
    assert search_ids(query="楼道", obj_type="matter") == ["4", "3", "2", "1", "0"]
    assert search_ids(query="楼道", obj_type="matter", limit=2) == ["4", "3"]
    assert search_ids(query="楼道", obj_type="matter", limit=0) == []


def test_matches_are_a_subquery_that_composes_with_other_filters():
    for i in range(5):
        _index(i, f"第{i}次反映楼道问题")
    _index(9, "路面破损")
    matches = search_matches(query="楼道", obj_type="matter")
    # Filtering a queryset of the indexed objects by it: one statement, no cut-off.
    rows = SearchEntry.objects.filter(object_type="matter").annotate(n=Cast("object_id", IntegerField()))
    assert sorted(rows.filter(n__in=matches).values_list("n", flat=True)) == [0, 1, 2, 3, 4]
    assert sorted(rows.filter(n__in=matches, n__lt=2).values_list("n", flat=True)) == [0, 1]
    assert list(rows.filter(n__in=search_matches(query=",。", obj_type="matter"))) == []


def test_upsert_replaces_old_text():
    _index(7, "楼道灯坏了")
    _index(7, "小区门口路面破损")
    assert SearchEntry.objects.filter(object_type="matter", object_id="7").count() == 1
    assert search_ids(query="楼道", obj_type="matter") == []
    assert search_ids(query="路面", obj_type="matter") == ["7"]


def test_remove():
    _index(7, "楼道灯坏了")
    _index(8, "楼道堆放杂物")
    search_remove(obj_type="matter", obj_id=7)
    assert search_ids(query="楼道", obj_type="matter") == ["8"]
    assert not SearchEntry.objects.filter(object_id="7").exists()
    search_remove(obj_type="matter", obj_id=7)  # removing twice is harmless
    assert search_ids(query="楼道", obj_type="matter") == ["8"]


def test_very_long_words_are_indexed_and_found():
    word = "x" * 3000
    _index(1, f"{word} 楼道")
    _index(2, f"{'x' * 100}y")
    assert search_ids(query=word, obj_type="matter") == ["1"]
    assert sorted(search_ids(query="x" * 80, obj_type="matter")) == ["1", "2"]


@pytest.mark.parametrize("query", ["", "   ", "\u3000", ",。!", "%", "_"])
def test_empty_or_punctuation_query_returns_nothing(query):
    _index(1, "楼道灯坏了 100%")
    assert search_ids(query=query, obj_type="matter") == []


texts = st.text(alphabet="楼道灯水路上漏了 ,", max_size=12)


@settings(
    max_examples=80,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(documents=st.lists(texts, max_size=6), query=st.text(alphabet="楼道灯水路上漏了", min_size=1, max_size=3))
def test_property_cjk_results_equal_substring_scan(documents, query):
    SearchEntry.objects.all().delete()
    for i, text in enumerate(documents):
        _index(i, text)
    expected = {str(i) for i, text in enumerate(documents) if query in normalize(text)}
    assert set(search_ids(query=query, obj_type="matter")) == expected


# --- Database structure ---------------------------------------------------------


def _fts_rowids(match):
    with connection.cursor() as cursor:
        sql = f"SELECT rowid FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH %s"  # noqa: S608 - constant names
        cursor.execute(sql, [match])
        return sorted(row[0] for row in cursor.fetchall())


def test_vendor_specific_index_exists():
    _assert_index_exists()


def _assert_index_exists():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [search.FTS_TABLE])
            (sql,) = cursor.fetchone()
            assert "fts5" in sql.lower()
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_searchentry'")
            assert {row[0] for row in cursor.fetchall()} == {
                "core_search_fts_ai",
                "core_search_fts_ad",
                "core_search_fts_au",
            }
        else:
            assert connection.vendor == "postgresql"
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [search.PG_INDEX])
            (indexdef,) = cursor.fetchone()
            assert "USING gin" in indexdef
            assert "array_to_tsvector" in indexdef


def test_index_is_used_and_kept_in_sync():
    _index(1, "楼道灯坏了")
    _index(2, "楼上漏水")
    entry = SearchEntry.objects.get(object_id="1")
    if connection.vendor == "sqlite":
        assert _fts_rowids('"楼道"') == [entry.pk]
        _index(1, "路面破损")
        assert _fts_rowids('"楼道"') == []
        assert _fts_rowids('"路面"') == [entry.pk]
        search_remove(obj_type="matter", obj_id=1)
        assert _fts_rowids('"路面"') == []
    else:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql = f"EXPLAIN SELECT id FROM core_searchentry WHERE {search.PG_VECTOR_SQL} @@ %s::tsquery"  # noqa: S608
            cursor.execute(sql, ["'楼道'"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert search.PG_INDEX in plan
        # The ORM condition is the indexed expression, also inside a subquery (aliased table).
        condition = search._index_condition(search._query_terms("楼道"))
        assert search.PG_INDEX in SearchEntry.objects.filter(condition).explain()
        inner = SearchEntry.objects.filter(condition).values("pk")
        # With plain and index-only scans off too, the only way left to read the
        # inner rows is a bitmap scan, and the only index it can use is ours when
        # the expression matches; otherwise the planner may walk the primary key
        # of a two-row table and filter, which proves nothing either way.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
        assert search.PG_INDEX in SearchEntry.objects.filter(pk__in=inner).explain()


def test_migration_is_reversible():
    _index(1, "楼道灯坏了")
    editor = SimpleNamespace(connection=connection)
    migration_0002.backwards(None, editor)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE %s", ["core_search_fts%"])
        else:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = %s", [search.PG_INDEX])
        assert cursor.fetchone()[0] == 0
    migration_0002.forwards(None, editor)
    # Rows indexed before the migration ran are found afterwards.
    assert search_ids(query="楼道", obj_type="matter") == ["1"]
    _assert_index_exists()


def test_reindex_migration_folds_rows_indexed_before_folding():
    # A row as the code before folding stored it: traditional text and tokens.
    old_text = "3號樓樓道燈壞了"
    SearchEntry.objects.create(
        object_type="matter", object_id="1", path="001", text=old_text, bigrams="3 號樓 樓樓 樓道 道燈 燈壞 壞了 了"
    )
    _index(2, "路面破损")
    assert search_ids(query="楼道", obj_type="matter") == []
    migration_0005.refold(django_apps, None)
    assert search_ids(query="楼道", obj_type="matter") == ["1"]
    assert search_ids(query="樓道燈", obj_type="matter") == ["1"]
    assert search_ids(query="路面", obj_type="matter") == ["2"]
    assert SearchEntry.objects.get(object_id="1").text == "3号楼楼道灯坏了"


def test_retokenise_migration_adds_joint_tokens_to_rows_indexed_before():
    # A row as the code before joint tokens stored it.
    SearchEntry.objects.create(
        object_type="matter", object_id="1", path="001", text="3栋2单元", bigrams="3 栋 2 单元 元"
    )
    assert search_ids(query="2单元", obj_type="matter") == []
    migration_0007.retokenise(django_apps, None)
    assert search_ids(query="2单元", obj_type="matter") == ["1"]
    assert SearchEntry.objects.get(object_id="1").bigrams == "3 3栋 栋 2 2单 单元 元"


def test_plan_starts_from_the_index_matches():
    """SQLite reads the entries by rowid from the FTS match list, not through
    the unique index on (object_type, object_id): without ANALYZE statistics
    its planner took that index and read every entry of the type (262 ms
    instead of 30 ms for 16,482 matches of 100,000 addresses). PostgreSQL
    asks its GIN index for the exact number-and-word token, no prefix."""
    _index(1, "3栋2单元楼道灯坏了")
    entries = search.search_entries(query="2单元", obj_type="matter")
    sql, params = entries.query.sql_with_params()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "INTEGER PRIMARY KEY" in plan and "autoindex" not in plan
        assert '"2单" AND "单元"' in params
    else:
        assert "'2单' & '单元'" in params
    assert [e.object_id for e in entries] == ["1"]
