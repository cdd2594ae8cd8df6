"""The big screen's soak test (issue 16: "the big screen runs for an hour in
headless Chromium without a console error or memory growth over 50 MB"; see
README.md, "Big screen soak"). Not a test: run by hand against a running
server with demo data.

Opens the screen in Debian's chromium (Playwright) at 1920×1080 with a short
refresh interval, and every `--sample` seconds records: the JS heap after a
forced garbage collection (CDP HeapProfiler.collectGarbage, then
Performance.getMetrics JSHeapUsedSize), the DOM node and listener counts, and
the memory (PSS) of the chromium processes it started (from /proc). Counts the
feed's answers and every console error or page error. The verdict: no
console error, the feed answered at least 90% of the expected refreshes, and
neither the JS heap nor the browser's memory grew by more than the limit
(median of the last five samples against the median of the first five after
a warm-up).

    .venv/bin/python bench/bigscreen_soak.py --url 'http://127.0.0.1:8716/bigscreen/k/<token>/?refresh=5' --minutes 60
    .venv/bin/python bench/bigscreen_soak.py --base-url http://127.0.0.1:8716 --username U --password P --minutes 20
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

MB = 1024 * 1024


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def chromium_memory() -> int:
    """Proportional set size (bytes) of the chromium processes this script
    started (its descendants: other browsers on the machine are not counted;
    PSS shares memory between the processes fairly instead of counting it in each)."""
    total = 0
    for pid in _descendants(os.getpid()):
        proc = Path("/proc") / str(pid)
        try:
            if "chrom" not in (proc / "comm").read_text():
                continue
            for line in (proc / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except (OSError, ValueError, IndexError):
            continue
    return total


def median_of(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="the screen's full URL (a kiosk URL, with ?refresh=N)")
    parser.add_argument("--base-url", help="the server, to log in and open /bigscreen/screen/")
    parser.add_argument("--username")
    parser.add_argument("--password")
    parser.add_argument("--refresh", type=int, default=5, help="seconds between refreshes (login mode)")
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--sample", type=float, default=30, help="seconds between memory samples")
    parser.add_argument("--warmup", type=float, default=60, help="seconds before the baseline samples")
    parser.add_argument("--limit-mb", type=float, default=50)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--json", help="write the samples and the verdict here")
    args = parser.parse_args()
    if not args.url and not (args.base_url and args.username and args.password):
        parser.error("give --url, or --base-url with --username and --password")

    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    errors: list[str] = []
    feed = {"ok": 0, "failed": 0}
    samples: list[dict[str, Any]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(viewport={"width": args.width, "height": args.height}, locale="zh-CN")
        page = context.new_page()
        page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))

        def on_response(response: Any) -> None:
            if "data.json" in response.url:
                feed["ok" if response.status == 200 else "failed"] += 1

        page.on("response", on_response)
        url = args.url
        refresh = args.refresh
        if not url:
            page.goto(f"{args.base_url}/accounts/login/")
            page.get_by_label("用户名").fill(args.username)
            page.get_by_label("密码").fill(args.password)
            page.get_by_role("button", name="登录").click()
            page.wait_for_load_state("networkidle")
            url = f"{args.base_url}/bigscreen/screen/?refresh={refresh}"
        else:
            refresh = int(url.split("refresh=")[1].split("&")[0]) if "refresh=" in url else 30
        page.goto(url)
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        start = time.monotonic()
        end = start + args.minutes * 60
        print(f"soak: {url} for {args.minutes} min, refresh {refresh}s, sample every {args.sample}s", flush=True)
        while True:
            now = time.monotonic()
            cdp.send("HeapProfiler.collectGarbage")
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            sample = {
                "t": round(now - start),
                "heap_mb": round(metrics.get("JSHeapUsedSize", 0) / MB, 2),
                "nodes": int(metrics.get("Nodes", 0)),
                "listeners": int(metrics.get("JSEventListeners", 0)),
                "mem_mb": round(chromium_memory() / MB, 1),
                "feed_ok": feed["ok"],
                "errors": len(errors),
            }
            samples.append(sample)
            print(json.dumps(sample), flush=True)
            if now >= end:
                break
            page.wait_for_timeout(min(args.sample, max(0.0, end - now)) * 1000)
        context.close()
        browser.close()

    elapsed = samples[-1]["t"] if samples else 0
    warm = [s for s in samples if s["t"] >= args.warmup] or samples
    first, last = warm[:5], warm[-5:]
    heap_growth = median_of([s["heap_mb"] for s in last]) - median_of([s["heap_mb"] for s in first])
    mem_growth = median_of([s["mem_mb"] for s in last]) - median_of([s["mem_mb"] for s in first])
    expected = max(1, int(elapsed / (refresh + 0.5)))
    verdict = {
        "minutes": round(elapsed / 60, 1),
        "refresh_s": refresh,
        "feed_ok": feed["ok"],
        "feed_failed": feed["failed"],
        "feed_expected_min": int(expected * 0.9),
        "console_errors": errors[:20],
        "heap_start_mb": median_of([s["heap_mb"] for s in first]),
        "heap_end_mb": median_of([s["heap_mb"] for s in last]),
        "heap_growth_mb": round(heap_growth, 2),
        "mem_start_mb": median_of([s["mem_mb"] for s in first]),
        "mem_end_mb": median_of([s["mem_mb"] for s in last]),
        "mem_growth_mb": round(mem_growth, 1),
        "nodes_start": first[0]["nodes"] if first else 0,
        "nodes_end": last[-1]["nodes"] if last else 0,
        "limit_mb": args.limit_mb,
    }
    passed = (
        not errors
        and feed["failed"] == 0
        and feed["ok"] >= expected * 0.9
        and heap_growth < args.limit_mb
        and mem_growth < args.limit_mb
    )
    verdict["passed"] = passed
    print(json.dumps(verdict, ensure_ascii=False, indent=1))
    print("VERDICT:", "PASS" if passed else "FAIL")
    if args.json:
        Path(args.json).write_text(json.dumps({"verdict": verdict, "samples": samples}, ensure_ascii=False, indent=1))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
