"""A small closed-loop load generator: N client threads, each with its own
HTTP connection to 127.0.0.1, send requests back to back until a request
count or a time limit is reached. Latency is measured from sending the
request to reading the whole body.

Bounded on purpose: every run stops after `total` requests or `seconds`,
whichever comes first, and only talks to 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    name: str
    concurrency: int
    seconds: float
    latencies: list[float]
    statuses: Counter[int]
    errors: list[str]

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 400)

    @property
    def failed(self) -> int:
        return sum(self.statuses.values()) - self.ok + len(self.errors)

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1] * 1000

    def summary(self) -> dict[str, object]:
        return {
            "name": self.name,
            "concurrency": self.concurrency,
            "requests": len(self.latencies),
            "failed": self.failed,
            "seconds": round(self.seconds, 2),
            "throughput_rps": round(self.throughput, 1),
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "first_errors": self.errors[:3],
        }


def run_load(
    name: str,
    port: int,
    build: Callable[[int], Request],
    *,
    concurrency: int = 8,
    total: int = 1000,
    seconds: float = 30.0,
    warmup: int = 0,
) -> Result:
    """Send `build(i)` for i = 0, 1, … from `concurrency` threads."""
    for i in range(warmup):
        _send(http.client.HTTPConnection(HOST, port, timeout=60), build(-1 - i))
    lock = threading.Lock()
    counter = iter(range(total))
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            started = time.perf_counter()
            try:
                status = _send(connection, build(index))
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1
        connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    return Result(name, concurrency, time.perf_counter() - began, latencies, statuses, errors)


def _send(connection: http.client.HTTPConnection, request: Request) -> int:
    connection.request(request.method, request.path, body=request.body, headers=request.headers)
    response = connection.getresponse()
    response.read()
    if response.will_close:
        connection.close()  # gunicorn's sync workers close after each response
    return response.status


def get(path: str, headers: dict[str, str] | None = None) -> Callable[[int], Request]:
    return lambda _i: Request("GET", path, headers=dict(headers or {}))


def fetch(port: int, request: Request) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            found[key.strip()] = val.strip()
    return found


def login(port: int, username: str, password: str) -> str:
    """Sign in through the login page; returns the Cookie header value."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", "/accounts/login/")
        response = connection.getresponse()
        page = response.read().decode("utf-8")
        cookies = _cookies(response.getheaders())
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if match is None or "csrftoken" not in cookies:
            raise RuntimeError("login page without a CSRF token")
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password}
        ).encode()
        connection.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken']}",
            },
        )
        response = connection.getresponse()
        response.read()
        cookies.update(_cookies(response.getheaders()))
        if response.status != 302 or "sessionid" not in cookies:
            raise RuntimeError(f"login failed: HTTP {response.status}")
        return "; ".join(f"{k}={v}" for k, v in cookies.items())
    finally:
        connection.close()


def json_post(
    path: str, payload: Callable[[int], dict[str, object]], headers: dict[str, str]
) -> Callable[[int], Request]:
    def build(i: int) -> Request:
        body = json.dumps(payload(i), ensure_ascii=False).encode("utf-8")
        return Request("POST", path, body, {"Content-Type": "application/json", **headers})

    return build


def form_post(path: str, payload: Callable[[int], dict[str, str]]) -> Callable[[int], Request]:
    def build(i: int) -> Request:
        body = urllib.parse.urlencode(payload(i)).encode("utf-8")
        return Request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    return build
