"""Run the matter benchmarks end to end (see bench/README.md):

1. create (or reuse) the PostgreSQL database `grassroots_bench`, migrate it,
   collect static files and seed 100,000 matters (seed_matters.py);
2. start gunicorn on 127.0.0.1 with 2 sync workers, production settings
   (`config.settings.base`) and persistent database connections;
3. measure /healthz, matter creation, the staff queue, search, the tree page
   and the Open311 list with the closed-loop load generator (matters_load.py);
4. print a Markdown table (and JSON with --json) and stop the server.

    .venv/bin/python bench/run.py [--count 100000] [--reset] [--quick] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import benchenv
import matters_load
from matters_load import Request, Result

CONCURRENCY = 8
SEARCH_TERM = "楼道"


@dataclass
class Plan:
    healthz: int = 6000
    create: int = 2000
    pages: int = 400
    single: int = 150
    seconds: float = 60.0


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([benchenv.PYTHON, "manage.py", *args], cwd=benchenv.ROOT, env=env, check=True)  # noqa: S603


def ensure_database(db_name: str, *, reset: bool) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{benchenv.PG_SERVER}/postgres", autocommit=True) as connection:
        if reset:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db_name)))
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name)))
            print(f"created database {db_name}")


def bench_facts(db_name: str) -> dict[str, Any]:
    """The bench account's API token, the subdistrict's node id and the
    PostgreSQL version, read in this process with the bench settings."""
    benchenv.django_setup(db_name)
    from django.db import connection

    from grassroots.accounts.models import User
    from grassroots.accounts.tokens.services import api_token_issue_for_tests
    from grassroots.matters.models import Matter
    from grassroots.regions.models import Level, Node

    # A fresh key per run: only digests are stored (ADR 0058).
    token = api_token_issue_for_tests(user=User.objects.get(username=benchenv.BENCH_USER))
    subdistrict = Node.objects.get(code="370303003000", level=Level.SUBDISTRICT)
    village = Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("code").first()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    facts = {
        "token": token,
        "subdistrict_id": subdistrict.pk,
        "village_id": village.pk if village else None,
        "village_code": village.code if village else None,
        "matters": Matter.objects.count(),
        "postgres": row[0] if row else "?",
    }
    connection.close()
    return facts


def machine() -> dict[str, Any]:
    memory_kb = 0
    with open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    model = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "cpu": model,
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        benchenv.GUNICORN,
        "config.wsgi:application",
        "--workers=2",
        "--worker-class=sync",
        f"--bind={benchenv.HOST}:{port}",
        "--timeout=120",
        "--error-logfile=-",
    ]
    with log.open("ab") as out:
        server = subprocess.Popen(command, cwd=benchenv.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if matters_load.fetch(port, Request("GET", "/healthz"))[0] == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not come up; see {log}")


def create_request_builder(port: int, facts: dict[str, Any]) -> tuple[str, Any]:
    """POST /api/v1/matters when the API answers, else the Open311 POST."""
    token = facts["token"]
    auth = {"Authorization": f"Token {token}"}

    def api_payload(i: int) -> dict[str, object]:
        return {
            "node": facts["village_id"],
            "title": f"楼道堆放杂物 {i}",
            "description": f"3号楼楼道堆放大量纸箱和旧家具,影响通行,存在消防隐患(压测 {i})。",
            "channel": "hotline",
            "reporter_name": "王先生",
            "reporter_phone": "13912345678",
        }

    api = matters_load.json_post("/api/v1/matters", api_payload, auth)
    status, _headers, body = matters_load.fetch(port, api(-1))
    if status == 201:
        return "POST /api/v1/matters", api
    print(f"API create unavailable (HTTP {status}: {body[:200]!r}); using the Open311 POST")

    def open311_payload(i: int) -> dict[str, str]:
        return {
            "api_key": token,
            "jurisdiction_id": "370303003000",
            "service_code": facts.get("service_code") or "",
            "attribute[node]": facts["village_code"] or "",
            "description": f"3号楼楼道堆放大量纸箱和旧家具,影响通行,存在消防隐患(压测 {i})。",
            "phone": "13912345678",
        }

    return "POST /open311/v2/requests.json", matters_load.form_post("/open311/v2/requests.json", open311_payload)


def healthz_baselines(port: int, plan: Plan, record: Any) -> dict[int, Result]:
    """/healthz with 1 and with CONCURRENCY clients: what every other row is
    compared with (the same number of clients on both sides of a ratio)."""
    return {
        clients: record(
            matters_load.run_load(
                "GET /healthz",
                port,
                matters_load.get("/healthz"),
                concurrency=clients,
                total=plan.healthz // (4 if clients == 1 else 1),
                seconds=plan.seconds,
                warmup=50,
            )
        )
        for clients in (1, CONCURRENCY)
    }


def ratio_to(health: dict[int, Result], result: Result) -> dict[str, Any]:
    base = health[result.concurrency]
    return {
        "throughput_vs_healthz": round(result.throughput / base.throughput, 3) if base.throughput else None,
        "p50_vs_healthz": round(result.percentile(50) / base.percentile(50), 1),
    }


def measure(port: int, facts: dict[str, Any], plan: Plan) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cookie = matters_load.login(port, benchenv.BENCH_USER, benchenv.BENCH_PASSWORD)
    staff = {"Cookie": cookie}
    api = {"Authorization": f"Token {facts['token']}"}
    q = urllib.parse.quote(SEARCH_TERM)

    def record(result: Result, **extra: Any) -> Result:
        summary = result.summary() | extra
        rows.append(summary)
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        return result

    def available(path: str, headers: dict[str, str]) -> bool:
        status = matters_load.fetch(port, Request("GET", path, headers=headers))[0]
        if status != 200:
            rows.append({"name": f"GET {urllib.parse.unquote(path)}", "unavailable": f"HTTP {status}"})
            print(f"skip GET {path}: HTTP {status}", flush=True)
        return status == 200

    # Baselines with the same number of clients as the runs compared to them.
    health = healthz_baselines(port, plan, record)

    def ratio(result: Result) -> dict[str, Any]:
        return ratio_to(health, result)

    label, builder = create_request_builder(port, facts)
    for clients, total in ((CONCURRENCY, plan.create), (1, plan.single)):
        created = matters_load.run_load(
            label, port, builder, concurrency=clients, total=total, seconds=plan.seconds, warmup=2
        )
        record(created, **ratio(created))

    subdistrict_page = f"/regions/{facts['subdistrict_id']}/"
    if available(subdistrict_page, staff):
        tree = matters_load.run_load(
            f"GET {subdistrict_page} (subdistrict tree page)",
            port,
            matters_load.get(subdistrict_page, staff),
            concurrency=CONCURRENCY,
            total=plan.pages * 2,
            seconds=plan.seconds,
            warmup=5,
        )
        record(tree, **ratio(tree))

    targets = [
        ("/matters/", staff, "staff queue page"),
        (f"/matters/?q={q}", staff, f"queue search “{SEARCH_TERM}”"),
        (f"/api/v1/matters?q={q}", api, f"API search “{SEARCH_TERM}”"),
        ("/api/v1/matters", api, "API list"),
        ("/open311/v2/requests.json", {}, "Open311 requests, last 90 days (≤1000)"),
    ]
    for path, headers, what in targets:
        if not available(path, headers):
            continue
        for concurrency, total in ((1, plan.single), (CONCURRENCY, plan.pages)):
            result = matters_load.run_load(
                f"GET {urllib.parse.unquote(path)} ({what})",
                port,
                matters_load.get(path, headers),
                concurrency=concurrency,
                total=total,
                seconds=plan.seconds,
                warmup=3,
            )
            record(result, **ratio(result))
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| benchmark | clients | requests | failed | req/s | p50 ms | p95 ms | p99 ms "
        "| req/s ÷ healthz | p50 ÷ healthz |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if "unavailable" in row:
            lines.append(f"| {row['name']} | – | – | – | – | – | – | – | {row['unavailable']} | |")
            continue
        lines.append(
            f"| {row['name']} | {row['concurrency']} | {row['requests']} | {row['failed']} | {row['throughput_rps']} "
            f"| {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} "
            f"| {row.get('throughput_vs_healthz', '')} | {row.get('p50_vs_healthz', '')} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="Grassroots matter benchmarks (PostgreSQL + gunicorn).")
    parser.add_argument("--count", type=int, default=100_000, help="matters to seed (default 100000)")
    parser.add_argument("--db", default=benchenv.DEFAULT_DB)
    parser.add_argument("--port", type=int, default=benchenv.DEFAULT_PORT)
    parser.add_argument("--reset", action="store_true", help="drop and recreate the bench database first")
    parser.add_argument("--quick", action="store_true", help="fewer requests, for trying the scripts out")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    plan = Plan(healthz=600, create=100, pages=40, single=20, seconds=20) if args.quick else Plan()

    env = benchenv.environment(args.db)
    ensure_database(args.db, reset=args.reset)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    subprocess.run(  # noqa: S603
        [benchenv.PYTHON, str(Path(__file__).with_name("seed_matters.py")), f"--count={args.count}", f"--db={args.db}"],
        cwd=benchenv.ROOT,
        env=env,
        check=True,
    )
    facts = bench_facts(args.db)
    from grassroots.matters.models import Category

    leaf = Category.objects.filter(parent__isnull=False, active=True).order_by("code").first()
    facts["service_code"] = leaf.code if leaf else ""
    from django.db import connection

    connection.close()

    log = Path("/tmp/grassroots-bench-gunicorn.log")  # noqa: S108 - the bench server's log
    server = start_server(env, args.port, log)
    load_before = os.getloadavg()[0]
    try:
        rows = measure(args.port, facts, plan)
    finally:
        server.terminate()
        server.wait(timeout=30)
    info = machine() | {
        "postgres": facts["postgres"],
        "matters_seeded": facts["matters"],
        # Everything shares the machine: a load average well above the
        # benchmark's own (~2–3 here) means other work skewed the numbers.
        "loadavg_1min_before_after": f"{load_before:.1f}/{os.getloadavg()[0]:.1f}",
    }
    stamp = datetime.datetime.now().astimezone().isoformat(timespec="minutes")
    print(f"\n## Results {stamp}\n")
    print("Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()) + "\n")
    print(markdown(rows))
    if args.json:
        args.json.write_text(
            json.dumps({"date": stamp, "machine": info, "results": rows}, ensure_ascii=False, indent=1), "utf-8"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
