"""The relocation dashboard benchmark (issue 14: "the relocation project
with 11,698 units renders its dashboard with p95 under 100 ms"; see
README.md, "Relocation"):

1. its own PostgreSQL database (`grassroots_bench_relocation`), migrated,
   with the demo tree, the bench account (subdistrict staff) and the demo
   relocation projects (火车站北广场: 11,698 units, 11,650 signed);
2. gunicorn on 127.0.0.1 with 2 sync workers and production settings, as
   for the other benchmarks (run.py);
3. /healthz, then the project's dashboard page, its progress API, the
   project list, and the drill-downs (the unsigned units; the largest batch,
   village and worker: ADR 0046), with 1 and 8 clients; p95 beside
   /healthz's p95 and as a ratio of it;
4. a Markdown table (and JSON with --json).

    .venv/bin/python bench/relocation_dashboard.py [--quick] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any

import benchenv
import matters_load
import run as matters_bench
import seed_matters
from addresses_search import AUDIT_HEAD_KEY, markdown
from matters_load import Result

DB = "grassroots_bench_relocation"
PORT = 8772


def seed() -> tuple[int, str, int, dict[str, int]]:
    """The demo relocation data on the demo tree; (station project id, API
    token, units, the largest batch, village and worker of the project)."""
    from django.db.models import Count

    from grassroots.accounts.demo import ensure_demo_users
    from grassroots.accounts.tokens.services import api_token_issue_for_tests
    from grassroots.relocation.demo import STATION, generate_demo_relocation
    from grassroots.relocation.models import Project, Unit

    _subdistrict, user = seed_matters.ensure_base()
    # The demo accounts first: the relocation worker (洪一社区) takes that village's units.
    ensure_demo_users()
    report = generate_demo_relocation()
    print(report.summary(), flush=True)
    project = Project.objects.get(name=STATION)
    units = Unit.objects.filter(project=project)
    largest = {
        key: units.exclude(**{f"{key}_id": None}).values(f"{key}_id").annotate(n=Count("id")).order_by("-n")[0]
        for key in ("batch", "village", "worker")
    }
    drill = {key: int(row[f"{key}_id"]) for key, row in largest.items()}
    print("drill-downs: " + ", ".join(f"{k} {largest[k][f'{k}_id']} ({largest[k]['n']} units)" for k in largest))
    return project.pk, api_token_issue_for_tests(user=user), units.count(), drill


def measure(
    port: int, plan: matters_bench.Plan, project: int, token: str, drill: dict[str, int]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    staff = {"Cookie": matters_load.login(port, benchenv.BENCH_USER, benchenv.BENCH_PASSWORD)}
    api = {"Authorization": f"Token {token}"}

    def record(result: Result, **extra: Any) -> Result:
        summary = result.summary() | extra
        rows.append(summary)
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        return result

    health = matters_bench.healthz_baselines(port, plan, record)
    targets = [
        (f"/relocation/projects/{project}/", staff, "project dashboard, 11,698 units"),
        (f"/api/v1/relocation/projects/{project}/progress", api, "progress API"),
        ("/relocation/", staff, "project list with rates"),
        (f"/relocation/projects/{project}/units/?signed=0", staff, "unsigned units, first page"),
        (f"/relocation/projects/{project}/units/?batch={drill['batch']}", staff, "drill-down: largest batch"),
        (f"/relocation/projects/{project}/units/?village={drill['village']}", staff, "drill-down: largest village"),
        (f"/relocation/projects/{project}/units/?worker={drill['worker']}", staff, "drill-down: largest worker"),
        (
            f"/relocation/projects/{project}/units/?batch={drill['batch']}&signed=0",
            staff,
            "drill-down: a batch's unsigned units",
        ),
    ]
    for path, headers, what in targets:
        status = matters_load.fetch(port, matters_load.Request("GET", path, headers=headers))[0]
        if status != 200:
            rows.append({"name": f"GET {path}", "unavailable": f"HTTP {status}"})
            continue
        for concurrency, count in ((1, plan.single), (matters_bench.CONCURRENCY, plan.pages)):
            result = matters_load.run_load(
                f"GET {path} ({what})",
                port,
                matters_load.get(path, headers),
                concurrency=concurrency,
                total=count,
                seconds=plan.seconds,
                warmup=3,
            )
            base = health[concurrency]
            record(
                result,
                healthz_p95_ms=round(base.percentile(95), 1),
                p95_vs_healthz=round(result.percentile(95) / base.percentile(95), 1),
                **matters_bench.ratio_to(health, result),
            )
    return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="Grassroots relocation dashboard benchmark (PostgreSQL + gunicorn).")
    parser.add_argument("--db", default=DB)
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--quick", action="store_true", help="fewer requests, for trying the script out")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    plan = (
        matters_bench.Plan(healthz=600, pages=40, single=30, seconds=20)
        if args.quick
        else matters_bench.Plan(healthz=4000, pages=400, single=200, seconds=60)
    )
    env = benchenv.environment(args.db)
    env["GRASSROOTS_PUBLIC_BASE_URL"] = f"http://{benchenv.HOST}:{args.port}/"
    env["DJANGO_STATIC_ROOT"] = "/tmp/grassroots-bench-relocation-static"  # noqa: S108 - its own collectstatic output
    env.setdefault("GRASSROOTS_AUDIT_HEAD_KEY", AUDIT_HEAD_KEY)
    os.environ["GRASSROOTS_AUDIT_HEAD_KEY"] = env["GRASSROOTS_AUDIT_HEAD_KEY"]
    matters_bench.ensure_database(args.db, reset=False)
    matters_bench.manage(env, "migrate", "--noinput", "-v0")
    matters_bench.manage(env, "collectstatic", "--noinput", "-v0")
    benchenv.django_setup(args.db)
    from django.db import connection

    project, token, units, drill = seed()
    connection.close()
    log = Path("/tmp/grassroots-bench-relocation-gunicorn.log")  # noqa: S108 - the bench server's log
    server = matters_bench.start_server(env, args.port, log)
    load_before = os.getloadavg()[0]
    try:
        rows = measure(args.port, plan, project, token, drill)
    finally:
        server.terminate()
        server.wait(timeout=30)
    info = matters_bench.machine() | {
        "units": units,
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
