"""The address search benchmark (issue 13: "the register holds 100,000
addresses with search p95 under 50 ms"; see README.md, "Addresses"):

1. its own PostgreSQL database (`grassroots_bench_addresses`), migrated, with
   the demo tree and 100,000 addresses (seed_addresses.py);
2. gunicorn on 127.0.0.1 with 2 sync workers and production settings, as
   for the matter benchmarks (run.py);
3. /healthz, then the register's search with 2-character queries (a road,
   a part of the place name), a number query, the API search and the plain
   list, with 1 and 8 clients; p95 reported beside /healthz's p95 and as a
   ratio of it (the same number of clients on both sides);
4. a Markdown table (and JSON with --json).

    .venv/bin/python bench/addresses_search.py [--count 100000] [--quick] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import benchenv
import matters_load
import run as matters_bench
from matters_load import Result

DB = "grassroots_bench_addresses"
PORT = 8771
AUDIT_HEAD_KEY = "0123456789abcdef" * 4  # bench only, never used anywhere else
QUERIES = (("人民", "road, 2 characters"), ("西张", "place, 2 characters"), ("2单元", "number and word"))


def measure(port: int, plan: matters_bench.Plan, token: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    staff = {"Cookie": matters_load.login(port, benchenv.BENCH_USER, benchenv.BENCH_PASSWORD)}
    api = {"Authorization": f"Token {token}"}

    def record(result: Result, **extra: Any) -> Result:
        summary = result.summary() | extra
        rows.append(summary)
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        return result

    health = matters_bench.healthz_baselines(port, plan, record)
    targets: list[tuple[str, dict[str, str], str]] = [
        (f"/addresses/?q={urllib.parse.quote(q)}", staff, f"register search “{q}” ({what})") for q, what in QUERIES
    ]
    targets += [
        (f"/api/v1/addresses?q={urllib.parse.quote('人民')}", api, "API search “人民”"),
        ("/addresses/", staff, "register, first page"),
    ]
    for path, headers, what in targets:
        status = matters_load.fetch(port, matters_load.Request("GET", path, headers=headers))[0]
        if status != 200:
            rows.append({"name": f"GET {urllib.parse.unquote(path)}", "unavailable": f"HTTP {status}"})
            continue
        for concurrency, count in ((1, plan.single), (matters_bench.CONCURRENCY, plan.pages)):
            result = matters_load.run_load(
                f"GET {urllib.parse.unquote(path)} ({what})",
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


def medians(runs: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One row per benchmark: the median of each figure over repeated runs
    (the machine is shared; one run can be skewed by others' work). The
    ratio is the median of each run's own ratio to /healthz."""
    merged: list[dict[str, Any]] = []
    for index, first in enumerate(runs[0]):
        same = [run[index] for run in runs if index < len(run) and run[index]["name"] == first["name"]]
        if "unavailable" in first:
            merged.append(first)
            continue
        row = dict(first)
        for key in ("p50_ms", "p95_ms", "throughput_rps", "healthz_p95_ms", "p95_vs_healthz"):
            values = [r[key] for r in same if isinstance(r.get(key), int | float)]
            if values:
                row[key] = round(statistics.median(values), 1)
        row["requests"] = sum(r["requests"] for r in same)
        row["failed"] = sum(r["failed"] for r in same)
        row["runs"] = len(same)
        merged.append(row)
    return merged


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| benchmark | clients | requests | failed | p50 ms | p95 ms | healthz p95 ms | p95 ÷ healthz | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if "unavailable" in row:
            lines.append(f"| {row['name']} | – | – | – | – | – | – | {row['unavailable']} | |")
            continue
        lines.append(
            f"| {row['name']} | {row['concurrency']} | {row['requests']} | {row['failed']} | {row['p50_ms']} "
            f"| {row['p95_ms']} | {row.get('healthz_p95_ms', '')} | {row.get('p95_vs_healthz', '')} "
            f"| {row['throughput_rps']} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="Grassroots address search benchmark (PostgreSQL + gunicorn).")
    parser.add_argument("--count", type=int, default=100_000, help="addresses to seed (default 100000)")
    parser.add_argument("--db", default=DB)
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--quick", action="store_true", help="fewer requests, for trying the script out")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--repeat", type=int, default=1, help="measure this many times; report the medians")
    args = parser.parse_args(argv)
    plan = (
        matters_bench.Plan(healthz=600, pages=40, single=30, seconds=20)
        if args.quick
        else matters_bench.Plan(healthz=4000, pages=400, single=200, seconds=60)
    )
    env = benchenv.environment(args.db)
    env["GRASSROOTS_PUBLIC_BASE_URL"] = f"http://{benchenv.HOST}:{args.port}/"
    # Production settings also want the audit head key now (grassroots.E020); a throwaway one.
    env.setdefault("GRASSROOTS_AUDIT_HEAD_KEY", AUDIT_HEAD_KEY)
    os.environ["GRASSROOTS_AUDIT_HEAD_KEY"] = env["GRASSROOTS_AUDIT_HEAD_KEY"]
    matters_bench.ensure_database(args.db, reset=False)
    matters_bench.manage(env, "migrate", "--noinput", "-v0")
    matters_bench.manage(env, "collectstatic", "--noinput", "-v0")
    here = Path(__file__).resolve().parent
    subprocess.run(  # noqa: S603
        [benchenv.PYTHON, str(here / "seed_addresses.py"), f"--count={args.count}", f"--db={args.db}"],
        cwd=benchenv.ROOT,
        env=env,
        check=True,
    )
    benchenv.django_setup(args.db)
    from django.db import connection

    from grassroots.accounts.models import User
    from grassroots.accounts.tokens.services import api_token_issue_for_tests
    from grassroots.addresses.models import Address

    # A fresh key per run: only digests are stored (ADR 0058).
    token = api_token_issue_for_tests(user=User.objects.get(username=benchenv.BENCH_USER))
    seeded = Address.objects.count()
    connection.close()
    log = Path("/tmp/grassroots-bench-addresses-gunicorn.log")  # noqa: S108 - the bench server's log
    server = matters_bench.start_server(env, args.port, log)
    load_before = os.getloadavg()[0]
    loads = []
    try:
        runs = []
        for _ in range(max(args.repeat, 1)):
            runs.append(measure(args.port, plan, token))
            loads.append(f"{os.getloadavg()[0]:.1f}")
        rows = medians(runs) if len(runs) > 1 else runs[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
    info = matters_bench.machine() | {
        "addresses": seeded,
        "loadavg_1min_before_after": f"{load_before:.1f}/{os.getloadavg()[0]:.1f}",
        "runs": len(loads),
        "loadavg_1min_after_each_run": " ".join(loads),
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
