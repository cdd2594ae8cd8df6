"""Database-specific index for the bigram search (see grassroots/core/search.py).

SQLite: an external-content FTS5 table over core_searchentry.bigrams, kept in
sync by triggers, so every write path (ORM, bulk delete, raw SQL) updates it.
PostgreSQL: a GIN index on the tokens as a tsvector. Other databases: nothing
(search falls back to LIKE). RunPython with a vendor check keeps the migration
portable and reversible and leaves the model state untouched, so
`makemigrations --check` stays clean.
"""

from django.db import migrations

FTS_TABLE = "core_search_fts"
PG_INDEX = "core_search_bigrams_gin"

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "bigrams, content='core_searchentry', content_rowid='id', tokenize='ascii')",
    f"""CREATE TRIGGER core_search_fts_ai AFTER INSERT ON core_searchentry BEGIN
        INSERT INTO {FTS_TABLE}(rowid, bigrams) VALUES (new.id, new.bigrams);
    END""",
    f"""CREATE TRIGGER core_search_fts_ad AFTER DELETE ON core_searchentry BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, bigrams) VALUES ('delete', old.id, old.bigrams);
    END""",
    f"""CREATE TRIGGER core_search_fts_au AFTER UPDATE ON core_searchentry BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, bigrams) VALUES ('delete', old.id, old.bigrams);
        INSERT INTO {FTS_TABLE}(rowid, bigrams) VALUES (new.id, new.bigrams);
    END""",
    # Index rows that already exist.
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_search_fts_au",
    "DROP TRIGGER IF EXISTS core_search_fts_ad",
    "DROP TRIGGER IF EXISTS core_search_fts_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
# The expression must stay identical to search.PG_VECTOR_SQL for the planner to use the index.
POSTGRES_FORWARD = [
    f"CREATE INDEX {PG_INDEX} ON core_searchentry USING GIN "
    "((array_to_tsvector(array_remove(string_to_array(bigrams, ' '), ''))))",
]
POSTGRES_BACKWARD = [f"DROP INDEX IF EXISTS {PG_INDEX}"]


def _run(schema_editor, statements_by_vendor):
    connection = schema_editor.connection
    statements = statements_by_vendor.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def forwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def backwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
