"""The field app's sync benchmark (issue 19: "the sync endpoint handles 100
workers syncing 50 items each with 0 duplicates and 0 lost items"; see
README.md, "Field sync"):

1. its own PostgreSQL database (`grassroots_bench_field`), migrated, with the
   demo tree and households, the demo staff (every village served) and
   `--workers` grid workers spread over the grids, each with an API token;
2. gunicorn on 127.0.0.1 with 2 sync workers and production settings, as for
   the other benchmarks (run.py);
3. /healthz, then each worker's outbox of `--items` items (door-to-door
   visits, every third with a matter) in one POST /api/v1/field/sync, from 8
   clients; a `--replay` fraction of the batches is sent again right after
   the first delivery (a network drop after the server committed, before the
   phone heard it), so a replay often races its original;
4. the check: every item answered "accepted" once and "duplicate" on replay,
   every key stored once, one visit per visit item and one matter per matter
   (duplicates and lost items must both be 0); p95 beside /healthz's and as a
   ratio of it; a Markdown table (and JSON with --json).

    .venv/bin/python bench/field_sync.py [--quick] [--replay 0.2] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import benchenv
import run as matters_bench
import seed_matters
from addresses_search import AUDIT_HEAD_KEY, markdown
from matters_load import Result

DB = "grassroots_bench_field"
PORT = 8779
PREFIX = "bench_field_"


def seed(workers: int) -> list[dict[str, Any]]:
    """`workers` grid workers over the demo grids; each with a token and the
    households of their grid. Earlier runs' sync items and records are removed."""
    from grassroots.accounts.demo import ensure_demo_users
    from grassroots.accounts.models import User
    from grassroots.accounts.roles import Role
    from grassroots.accounts.tokens.services import api_token_issue_for_tests
    from grassroots.field.models import SyncItem
    from grassroots.regions.models import Household, Level, Node

    subdistrict, _user = seed_matters.ensure_base()
    ensure_demo_users()
    grids = [
        grid
        for grid in Node.objects.filter(path__startswith=subdistrict.path, level=Level.GRID).order_by("path")
        if Household.objects.filter(path__startswith=grid.path).exists()
    ]
    SyncItem.objects.filter(worker__username__startswith=PREFIX).delete()
    people = []
    for n in range(workers):
        grid = grids[n % len(grids)]
        user, _ = User.objects.update_or_create(
            username=f"{PREFIX}{n:03d}",
            defaults={"role": Role.GRID_WORKER, "jurisdiction": grid, "display_name": f"压测网格员{n}"},
        )
        token = api_token_issue_for_tests(user=user)
        households = list(Household.objects.filter(path__startswith=grid.path).values_list("pk", flat=True)[:50])
        people.append({"user": user.pk, "token": token, "households": households})
    print(f"{workers} workers over {len(grids)} grids", flush=True)
    return people


def outbox(worker: dict[str, Any], items: int) -> list[dict[str, Any]]:
    now = datetime.datetime.now(datetime.UTC).isoformat()
    rows = []
    for i in range(items):
        household = worker["households"][i % len(worker["households"])]
        matters: list[dict[str, Any]] = []
        if i % 3 == 0:
            matters = [
                {
                    "title": f"楼道堆放杂物 {i}",
                    "description": f"3号楼楼道堆放纸箱和旧家具,影响通行(压测 {i})。",
                    "category": None,
                    "photos": [],
                }
            ]
        body = {
            "household": household,
            "visited_at": now,
            "notes": f"入户走访,情况正常(压测 {i})。",
            "matters": matters,
        }
        rows.append({"key": str(uuid.uuid4()), "type": "visit", "created_at": now, "body": body})
    return rows


def deliver(
    port: int, batches: list[tuple[str, list[dict[str, Any]]]], concurrency: int
) -> tuple[Result, Counter[str]]:
    """POST each (token, items) from `concurrency` clients; item statuses counted."""
    lock = threading.Lock()
    queue = iter(range(len(batches)))
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    answers: Counter[str] = Counter()
    errors: list[str] = []

    def client() -> None:
        connection = http.client.HTTPConnection(benchenv.HOST, port, timeout=120)
        while True:
            with lock:
                index = next(queue, None)
            if index is None:
                break
            token, items = batches[index]
            body = json.dumps({"items": items}, ensure_ascii=False).encode()
            headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
            started = time.perf_counter()
            try:
                connection.request("POST", "/api/v1/field/sync", body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            counted = Counter(r["status"] for r in json.loads(payload)["results"]) if response.status == 200 else {}
            with lock:
                latencies.append(elapsed)
                statuses[response.status] += 1
                answers.update(counted)
        connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = Result(
        "POST /api/v1/field/sync (50 items)", concurrency, time.perf_counter() - began, latencies, statuses, errors
    )
    return result, answers


def check(
    people: list[dict[str, Any]], sent: dict[str, list[dict[str, Any]]], since: datetime.datetime
) -> dict[str, int]:
    """Duplicates and lost items, counted in the database among the records
    created since this run's deliveries began (earlier runs' records stay)."""
    from django.db.models import Count

    from grassroots.field.models import SyncItem
    from grassroots.matters.models import Matter, Visit

    users = [p["user"] for p in people]
    keys = {item["key"] for items in sent.values() for item in items}
    stored = Counter(SyncItem.objects.filter(worker__in=users).values_list("key", flat=True))
    visit_items = len(keys)
    matter_items = sum(1 for items in sent.values() for item in items if item["body"]["matters"])
    visits = Visit.objects.filter(visitor__in=users, created_at__gte=since).count()
    these = Matter.objects.filter(visit__visitor__in=users, visit__created_at__gte=since)
    matters = these.count()
    twice = these.values("visit_id").annotate(n=Count("id")).filter(n__gt=1)
    accepted = SyncItem.objects.filter(worker__in=users, status="accepted").count()
    return {
        "items_sent": visit_items,
        "items_stored": sum(stored.values()),
        "keys_stored_twice": sum(1 for n in stored.values() if n > 1),
        "lost_items": len(keys - set(stored)) + (visit_items - accepted if accepted < visit_items else 0),
        "visits": visits,
        "matters": matters,
        "duplicate_records": max(0, visits - visit_items) + max(0, matters - matter_items) + twice.count(),
        "missing_records": max(0, visit_items - visits) + max(0, matter_items - matters),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="Grassroots field sync benchmark (PostgreSQL + gunicorn).")
    parser.add_argument("--db", default=DB)
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--workers", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--replay", type=float, default=0.2, help="fraction of batches delivered twice")
    parser.add_argument("--quick", action="store_true", help="fewer /healthz requests, for trying the script out")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    plan = matters_bench.Plan(healthz=600, seconds=20) if args.quick else matters_bench.Plan(healthz=4000, seconds=60)
    env = benchenv.environment(args.db)
    env["GRASSROOTS_PUBLIC_BASE_URL"] = f"http://{benchenv.HOST}:{args.port}/"
    env["DJANGO_STATIC_ROOT"] = "/tmp/grassroots-bench-field-static"  # noqa: S108 - its own collectstatic output
    env.setdefault("GRASSROOTS_AUDIT_HEAD_KEY", AUDIT_HEAD_KEY)
    os.environ["GRASSROOTS_AUDIT_HEAD_KEY"] = env["GRASSROOTS_AUDIT_HEAD_KEY"]
    matters_bench.ensure_database(args.db, reset=False)
    matters_bench.manage(env, "migrate", "--noinput", "-v0")
    matters_bench.manage(env, "collectstatic", "--noinput", "-v0")
    benchenv.django_setup(args.db)
    from django.db import connection

    people = seed(args.workers)
    connection.close()
    sent = {p["token"]: outbox(p, args.items) for p in people}
    batches: list[tuple[str, list[dict[str, Any]]]] = []
    every = round(1 / args.replay) if args.replay > 0 else 0
    for n, (token, items) in enumerate(sent.items()):
        batches.append((token, items))
        if every and n % every == 0:
            batches.append((token, items))  # the replay, right behind its original
    replays = len(batches) - len(sent)
    log = Path("/tmp/grassroots-bench-field-gunicorn.log")  # noqa: S108 - the bench server's log
    server = matters_bench.start_server(env, args.port, log)
    load_before = os.getloadavg()[0]
    rows: list[dict[str, Any]] = []

    def record(result: Result, **extra: Any) -> Result:
        summary = result.summary() | extra
        rows.append(summary)
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        return result

    try:
        health = matters_bench.healthz_baselines(args.port, plan, record)
        since = datetime.datetime.now(datetime.UTC)
        result, answers = deliver(args.port, batches, matters_bench.CONCURRENCY)
        base = health[result.concurrency]
        record(
            result,
            healthz_p95_ms=round(base.percentile(95), 1),
            p95_vs_healthz=round(result.percentile(95) / base.percentile(95), 1),
            items_per_second=round(len(sent) * args.items / result.seconds, 1),
            answers=dict(answers),
            **matters_bench.ratio_to(health, result),
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    benchenv.django_setup(args.db)
    facts = check(people, sent, since) | {
        "replayed_batches": replays,
        "accepted_answers": answers.get("accepted", 0),
        "duplicate_answers": answers.get("duplicate", 0),
        "other_answers": sum(n for status, n in answers.items() if status not in ("accepted", "duplicate")),
    }
    info = matters_bench.machine() | {
        "workers": args.workers,
        "items_per_worker": args.items,
        "loadavg_1min_before_after": f"{load_before:.1f}/{os.getloadavg()[0]:.1f}",
    }
    stamp = datetime.datetime.now().astimezone().isoformat(timespec="minutes")
    print(f"\n## Results {stamp}\n")
    print("Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()) + "\n")
    print(markdown(rows))
    print("\nCheck: " + ", ".join(f"{k} {v}" for k, v in facts.items()))
    if args.json:
        args.json.write_text(
            json.dumps({"date": stamp, "machine": info, "results": rows, "check": facts}, ensure_ascii=False, indent=1),
            "utf-8",
        )
    if facts["duplicate_records"] or facts["lost_items"] or facts["missing_records"] or facts["keys_stored_twice"]:
        raise SystemExit("duplicates or lost items: see the check above")


if __name__ == "__main__":
    main(sys.argv[1:])
