"""The matter rollup benchmark (issue 16 item 5: "a rollup over the whole
subdistrict answers in under 100 ms at 1,000,000 matters on PostgreSQL";
ADR 0047, README.md "Rollup"):

1. its own PostgreSQL database (`grassroots_bench_rollup`), migrated, with
   Hutian's tree and the demo tree (`seed_matters.ensure_base`);
2. N matters (default 1,000,000) over the tree's villages, grids, buildings
   and units, created over the last 365 days, older ones mostly finished, with
   a CREATED event and a transition to the current state each; inserted by
   `INSERT … SELECT generate_series` in SQL (the Python bulk insert of
   seed_matters.py, with its encrypted phones and search rows, takes about an
   hour for a million);
3. the rollup built by `manage.py matters_rollup --rebuild --history-days 30`
   (timed) and checked (`--check`);
4. the three figure functions for the subdistrict (and one village), p50/p95
   over repeats, beside their `*_scan` twins that count the matters, and the
   EXPLAIN (ANALYZE, BUFFERS) of the rollup's queries.

    .venv/bin/python bench/matters_rollup.py [--count 1000000] [--repeats 30] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import benchenv
import run as matters_bench
import seed_matters
from addresses_search import AUDIT_HEAD_KEY

DB = "grassroots_bench_rollup"
SEED_CHANNEL = "hotline"
MARK = "rollup-bench"

# One statement: matters spread over every node below the subdistrict,
# states by age as in seed_matters.state_for, due dates from a category's
# deadline. `setseed` makes it repeatable.
INSERT_MATTERS = """
CREATE TEMP TABLE bench_nodes AS
  SELECT row_number() OVER (ORDER BY path) AS idx, id, path
  FROM regions_node WHERE path LIKE %(prefix)s AND depth > 1;
CREATE TEMP TABLE bench_categories AS
  SELECT row_number() OVER (ORDER BY code) AS idx, id, deadline_days
  FROM matters_category WHERE parent_id IS NOT NULL;
SELECT setseed(0.2026);
CREATE TEMP TABLE bench_rows AS
  SELECT i,
         now() - make_interval(secs => random() * 365 * 86400) AS created_at,
         1 + floor(random() * (SELECT count(*) FROM bench_nodes))::int AS node_idx,
         1 + floor(random() * (SELECT count(*) FROM bench_categories))::int AS category_idx,
         random() AS r
  FROM generate_series(1, %(count)s) AS i;
INSERT INTO matters_matter (
  number, tracking_code, node_id, path, title, description, location, channel, channel_detail,
  reporter_name, reporter_phone, reporter_phone_index, anonymous, public_consent, idempotency_fingerprint,
  category_id, urgency, touches_collective, due_date, due_provisional, deadline_days, state, handling_plan,
  result, rejection_reason, escalation_level, resolution_round, for_deliberation, joint_meeting_reason,
  created_at, updated_at)
SELECT 'RB' || lpad(b.i::text, 8, '0'), 'R' || lpad(b.i::text, 9, '0'), n.id, n.path,
       '楼道堆放杂物', '压测事项', '', %(channel)s, '{"seed": "rollup-bench"}'::jsonb,
       '', '', '', false, false, '',
       CASE WHEN s.state = 'reported' THEN NULL ELSE c.id END, 'normal', false,
       CASE WHEN s.state IN ('accepted', 'handling', 'deliberating')
            THEN (b.created_at AT TIME ZONE 'Asia/Shanghai')::date + (c.deadline_days * 7 / 5 + 1)
            END,
       false, CASE WHEN s.state = 'reported' THEN NULL ELSE c.deadline_days END, s.state, '',
       '', CASE WHEN s.state = 'rejected' THEN '压测' ELSE '' END, 0, 0, false, '',
       b.created_at, b.created_at
FROM bench_rows b
JOIN bench_nodes n ON n.idx = b.node_idx
JOIN bench_categories c ON c.idx = b.category_idx
CROSS JOIN LATERAL (SELECT CASE
    WHEN now() - b.created_at > interval '60 days' THEN
      CASE WHEN b.r < 0.78 THEN 'closed' WHEN b.r < 0.84 THEN 'resolved' WHEN b.r < 0.90 THEN 'rejected'
           WHEN b.r < 0.96 THEN 'handling' WHEN b.r < 0.98 THEN 'accepted' WHEN b.r < 0.99 THEN 'deliberating'
           ELSE 'reported' END
    WHEN now() - b.created_at > interval '14 days' THEN
      CASE WHEN b.r < 0.40 THEN 'closed' WHEN b.r < 0.60 THEN 'resolved' WHEN b.r < 0.65 THEN 'rejected'
           WHEN b.r < 0.90 THEN 'handling' WHEN b.r < 0.95 THEN 'accepted' WHEN b.r < 0.97 THEN 'deliberating'
           ELSE 'reported' END
    ELSE
      CASE WHEN b.r < 0.05 THEN 'closed' WHEN b.r < 0.15 THEN 'resolved' WHEN b.r < 0.20 THEN 'rejected'
           WHEN b.r < 0.55 THEN 'handling' WHEN b.r < 0.75 THEN 'accepted' WHEN b.r < 0.77 THEN 'deliberating'
           ELSE 'reported' END
    END AS state) s
ORDER BY b.created_at;
INSERT INTO matters_matterevent (matter_id, kind, action, from_state, to_state, text, data, created_at,
                                 actor_label, public)
SELECT id, 'created', '', '', 'reported', '', '{}'::jsonb, created_at, '反映人', true
FROM matters_matter WHERE channel_detail @> '{"seed": "rollup-bench"}'::jsonb;
INSERT INTO matters_matterevent (matter_id, kind, action, from_state, to_state, text, data, created_at,
                                 actor_label, public)
SELECT id, 'transition', '', 'reported', state, '',
       CASE WHEN due_date IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('due_date', due_date::text) END,
       LEAST(created_at + interval '3 hours'
               + (deadline_days || ' days')::interval * (state IN ('resolved', 'closed'))::int, now()),
       '系统', true
FROM matters_matter WHERE channel_detail @> '{"seed": "rollup-bench"}'::jsonb AND state <> 'reported';
UPDATE matters_matter SET closed_at = updated_at WHERE state = 'closed' AND closed_at IS NULL;
ANALYZE matters_matter;
ANALYZE matters_matterevent;
"""


def seed_sql(count: int) -> float:
    from django.db import connection, transaction

    from grassroots.matters.models import Matter

    subdistrict, _user = seed_matters.ensure_base()
    existing = Matter.objects.count()
    if existing == count:
        print(f"seed: {existing} matters already there", flush=True)
        return 0.0
    if existing:
        raise SystemExit(f"the database holds {existing} matters, not {count}; drop {DB} first")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in [part.strip() for part in INSERT_MATTERS.split(";\n") if part.strip()]:
            cursor.execute(statement, {"prefix": subdistrict.path + "%", "count": count, "channel": SEED_CHANNEL})
    seconds = time.perf_counter() - started
    print(f"seed: {count} matters and their events in {seconds:.0f} s", flush=True)
    return seconds


def timed(function: Any, repeats: int) -> dict[str, float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)], 1),
        "max_ms": round(samples[-1], 1),
        "n": len(samples),
    }


def explain(function: Any) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of every SELECT the function runs on the rollup."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or "matters_matter" not in sql:
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plans.append(sql[:300] + "\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return plans


def measure(repeats: int) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    from django.utils import timezone

    from grassroots.matters.selectors import figures
    from grassroots.regions.models import Level, Node

    subdistrict = Node.objects.get(code="370303003000", level=Level.SUBDISTRICT)
    village = Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("path").first()
    today = timezone.localdate()
    start = today - datetime.timedelta(days=29)
    calls = {
        "matter_figures": lambda node: figures.matter_figures(node=node),
        "matter_figures_by_child": lambda node: figures.matter_figures_by_child(node=node),
        "matter_daily_trend (30 days)": lambda node: figures.matter_daily_trend(node=node, start=start, end=today),
    }
    scans = {
        "matter_figures": lambda node: figures.matter_figures_scan(node=node),
        "matter_figures_by_child": lambda node: figures.matter_figures_by_child_scan(node=node),
        "matter_daily_trend (30 days)": lambda node: figures.matter_daily_trend_scan(node=node, start=start, end=today),
    }
    rows: list[dict[str, Any]] = []
    plans: dict[str, list[str]] = {}
    # The in-process counterpart of /healthz: one round trip to the database.
    from django.db import connection

    def ping() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    rows.append({"function": "baseline SELECT 1", "node": "-", "source": "-"} | timed(ping, repeats * 3))
    for name, call in calls.items():
        for label, node in (("subdistrict", subdistrict), ("village", village)):
            assert node is not None
            call(node)  # warm
            row = {"function": name, "node": label, "source": "rollup"} | timed(
                lambda call=call, node=node: call(node), repeats
            )
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
        plans[name] = explain(lambda call=call: call(subdistrict))
        # The scan twin, fewer repeats: it is what the rollup replaces.
        scan_repeats = 1 if "trend" in name else max(3, repeats // 6)
        row = {"function": name, "node": "subdistrict", "source": "scan"} | timed(
            lambda scan=scans[name]: scan(subdistrict), scan_repeats
        )
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        same = scans[name](subdistrict) == call(subdistrict)
        print(f"{name}: rollup equals scan: {same}", flush=True)
        if not same:
            raise SystemExit(f"{name}: the rollup differs from the scan")
    return rows, plans


def vacuum() -> None:
    """VACUUM ANALYZE the rollup's tables before measuring: what autovacuum
    does after a rebuild or a migration rewrote them, and what lets the
    subtree reads be index-only scans (the visibility map)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("matters_mattertally", "matters_matterday", "matters_mattersnapshotday"):
            cursor.execute(f"VACUUM ANALYZE {table}")  # fixed names


def table_sizes() -> dict[str, Any]:
    from django.db import connection

    sizes = {}
    with connection.cursor() as cursor:
        for table in ("matters_matter", "matters_matterevent", "matters_mattertally", "matters_matterday"):
            cursor.execute(f"SELECT count(*), pg_size_pretty(pg_total_relation_size('{table}')) FROM {table}")  # noqa: S608 - fixed names
            count, size = cursor.fetchone()
            sizes[table] = f"{count} rows, {size}"
    return sizes


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="Grassroots matter rollup benchmark (PostgreSQL).")
    parser.add_argument("--db", default=DB)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--history-days", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--measure-only", action="store_true", help="skip seeding, rebuild and check")
    args = parser.parse_args(argv)
    env = benchenv.environment(args.db)
    env.setdefault("GRASSROOTS_AUDIT_HEAD_KEY", AUDIT_HEAD_KEY)
    os.environ["GRASSROOTS_AUDIT_HEAD_KEY"] = env["GRASSROOTS_AUDIT_HEAD_KEY"]
    matters_bench.ensure_database(args.db, reset=False)
    matters_bench.manage(env, "migrate", "--noinput", "-v0")
    benchenv.django_setup(args.db)
    seed_seconds = rebuild_seconds = check_seconds = 0.0
    if not args.measure_only:
        seed_seconds, rebuild_seconds, check_seconds = prepare(args, env)
    vacuum()
    load_before = os.getloadavg()[0]
    rows, plans = measure(args.repeats)
    base = rows[0]["p95_ms"]
    for row in rows[1:]:
        row["p95_vs_select1"] = round(row["p95_ms"] / base, 1) if base else None
    report(args, rows, plans, load_before, seed_seconds, rebuild_seconds, check_seconds)


def prepare(args: argparse.Namespace, env: dict[str, str]) -> tuple[float, float, float]:
    """Seed, rebuild (timed) and check; (seed s, rebuild s, check s)."""
    seed_seconds = seed_sql(args.count)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own manage.py
        [benchenv.PYTHON, "manage.py", "matters_rollup", "--rebuild", "--history-days", str(args.history_days)],
        cwd=benchenv.ROOT,
        env=env,
        check=True,
    )
    rebuild_seconds = time.perf_counter() - started
    started = time.perf_counter()
    matters_bench.manage(env, "matters_rollup", "--check")
    check_seconds = time.perf_counter() - started
    return seed_seconds, rebuild_seconds, check_seconds


def report(
    args: argparse.Namespace,
    rows: list[dict[str, Any]],
    plans: dict[str, list[str]],
    load_before: float,
    seed_seconds: float,
    rebuild_seconds: float,
    check_seconds: float,
) -> None:
    info = (
        matters_bench.machine()
        | {
            "matters": args.count,
            "seed_s": round(seed_seconds),
            "rebuild_s": round(rebuild_seconds),
            "check_s": round(check_seconds),
            "loadavg_1min_before_after": f"{load_before:.1f}/{os.getloadavg()[0]:.1f}",
        }
        | table_sizes()
    )
    stamp = datetime.datetime.now().astimezone().isoformat(timespec="minutes")
    print(f"\n## Results {stamp}\n")
    print("Machine and data: " + ", ".join(f"{k} {v}" for k, v in info.items()) + "\n")
    print("| function | node | source | p50 ms | p95 ms | max ms | n | p95 ÷ SELECT 1 |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['function']} | {row['node']} | {row['source']} | {row['p50_ms']} | {row['p95_ms']} "
            f"| {row['max_ms']} | {row['n']} | {row.get('p95_vs_select1', '')} |"
        )
    for name, texts in plans.items():
        print(f"\n### EXPLAIN {name}\n")
        for text in texts:
            print("```\n" + text + "\n```")
    if args.json:
        args.json.write_text(
            json.dumps({"date": stamp, "machine": info, "results": rows, "plans": plans}, ensure_ascii=False, indent=1),
            "utf-8",
        )


if __name__ == "__main__":
    main(sys.argv[1:])
