"""Run the 晒事 benchmarks (see bench/README.md, "Publicity"):

1. the matter benchmark's database (create/reuse `grassroots_bench`, migrate,
   seed the matters), plus 20,000 publications (seed_publications.py);
2. gunicorn on 127.0.0.1 with 2 sync workers and production settings;
3. measure /healthz and the public pages residents and LED controllers hit
   (portal list, search, a village's page, a notice, led.txt, the LED page,
   the Atom feed, the printed notice) and the staff list, with 1 and 8 clients;
4. print a Markdown table (and JSON with --json) and stop the server.

    .venv/bin/python bench/publicity_run.py [--matters 100000] [--count 20000] [--quick] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import benchenv
import matters_load
import run as matters_bench
from matters_load import Result

CONCURRENCY = matters_bench.CONCURRENCY
SEARCH_TERM = "楼道"


def facts_for(db_name: str) -> dict[str, Any]:
    """A village with current notices and one current notice of a matter."""
    benchenv.django_setup(db_name)
    from django.db import connection

    from grassroots.publicity.models import Publication
    from grassroots.publicity.selectors import public_current
    from grassroots.regions.models import Level, Node

    best = None
    for village in Node.objects.filter(level=Level.VILLAGE).order_by("path"):
        shown = len(public_current(village=village))
        if best is None or shown > best[1]:
            best = (village, shown)
    assert best is not None, "no village"
    village = best[0]
    notice = (
        Publication.objects.filter(state="published", path__startswith=village.path, matter__isnull=False)
        .order_by("-starts_on", "-pk")
        .first()
    )
    facts = {
        "village_id": village.pk,
        "village": village.label,
        "current_in_village": best[1],
        "notice_id": notice.pk if notice else None,
        "publications": Publication.objects.count(),
        "published": Publication.objects.filter(state="published").count(),
    }
    connection.close()
    return facts


def measure(port: int, facts: dict[str, Any], plan: matters_bench.Plan) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cookie = matters_load.login(port, benchenv.BENCH_USER, benchenv.BENCH_PASSWORD)
    staff = {"Cookie": cookie}

    def record(result: Result, **extra: Any) -> Result:
        summary = result.summary() | extra
        rows.append(summary)
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        return result

    health = matters_bench.healthz_baselines(port, plan, record)

    village, notice = facts["village_id"], facts["notice_id"]
    q = urllib.parse.quote(SEARCH_TERM)
    targets: list[tuple[str, dict[str, str], str, int]] = [
        ("/notices/", {}, "portal, first page", plan.pages),
        (f"/notices/?q={q}", {}, f"portal search “{SEARCH_TERM}”", plan.pages),
        (f"/notices/v/{village}/", {}, "a village's page", plan.pages),
        (f"/notices/{notice}/", {}, "a notice with progress and timeline", plan.pages),
        (f"/notices/v/{village}/led.txt", {}, "led.txt for LED controllers", plan.pages * 2),
        (f"/notices/v/{village}/led/", {}, "LED board page", plan.pages),
        (f"/notices/v/{village}/feed.atom", {}, "Atom feed (50 entries)", plan.pages),
        (f"/notices/{notice}/notice.pdf", {}, "printed notice PDF (cached per worker after the first)", plan.single),
        ("/publicity/", staff, "staff list (subdistrict, all notices)", plan.pages),
    ]
    for path, headers, what, total in targets:
        status = matters_load.fetch(port, matters_load.Request("GET", path, headers=headers))[0]
        if status != 200:
            rows.append({"name": f"GET {urllib.parse.unquote(path)}", "unavailable": f"HTTP {status}"})
            continue
        for concurrency, count in ((1, plan.single), (CONCURRENCY, total)):
            result = matters_load.run_load(
                f"GET {urllib.parse.unquote(path)} ({what})",
                port,
                matters_load.get(path, headers),
                concurrency=concurrency,
                total=count,
                seconds=plan.seconds,
                warmup=3,
            )
            record(result, **matters_bench.ratio_to(health, result))
    return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="Grassroots 晒事 benchmarks (PostgreSQL + gunicorn).")
    parser.add_argument("--matters", type=int, default=100_000, help="matters to seed (default 100000)")
    parser.add_argument("--count", type=int, default=20_000, help="publications to seed (default 20000)")
    parser.add_argument("--db", default=benchenv.DEFAULT_DB)
    parser.add_argument("--port", type=int, default=benchenv.DEFAULT_PORT)
    parser.add_argument("--quick", action="store_true", help="fewer requests, for trying the scripts out")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    plan = (
        matters_bench.Plan(healthz=600, pages=40, single=20, seconds=20)
        if args.quick
        else matters_bench.Plan(healthz=6000, pages=400, single=100, seconds=60)
    )
    env = benchenv.environment(args.db)
    matters_bench.ensure_database(args.db, reset=False)
    matters_bench.manage(env, "migrate", "--noinput", "-v0")
    matters_bench.manage(env, "collectstatic", "--noinput", "-v0")
    here = Path(__file__).resolve().parent
    for script, count in (("seed_matters.py", args.matters), ("seed_publications.py", args.count)):
        subprocess.run(  # noqa: S603
            [benchenv.PYTHON, str(here / script), f"--count={count}", f"--db={args.db}"],
            cwd=benchenv.ROOT,
            env=env,
            check=True,
        )
    facts = facts_for(args.db)
    print(json.dumps(facts, ensure_ascii=False), flush=True)
    log = Path("/tmp/grassroots-bench-gunicorn.log")  # noqa: S108 - the bench server's log
    server = matters_bench.start_server(env, args.port, log)
    load_before = os.getloadavg()[0]
    try:
        rows = measure(args.port, facts, plan)
    finally:
        server.terminate()
        server.wait(timeout=30)
    info = matters_bench.machine() | {
        "publications": facts["publications"],
        "current_in_village": facts["current_in_village"],
        "loadavg_1min_before_after": f"{load_before:.1f}/{os.getloadavg()[0]:.1f}",
    }
    stamp = datetime.datetime.now().astimezone().isoformat(timespec="minutes")
    print(f"\n## Results {stamp}\n")
    print("Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()) + "\n")
    print(matters_bench.markdown(rows))
    if args.json:
        args.json.write_text(
            json.dumps({"date": stamp, "machine": info, "facts": facts, "results": rows}, ensure_ascii=False, indent=1),
            "utf-8",
        )


if __name__ == "__main__":
    main(sys.argv[1:])
