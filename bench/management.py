"""Latency of the Management API's lookups, lists and searches at a given number of profiles.

Usage: python bench/management.py --database sqlite|postgresql --profiles N [--requests 30]

Seeds N profiles (bench/seed.py) on a fresh database, gives one of them a unique Email, starts
one `patron serve`, and times each query sequentially (median and p95 of --requests calls, after
one warm-up call). Loopback only; prints a Markdown table.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATRON = str(ROOT / ".venv" / "bin" / "patron")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORT = 18977
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--profiles", type=int, required=True)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        url = _database(args.database, workdir)
        env = {**os.environ, "PATRON_DATABASE_URL": url}
        account = _json([PATRON, "account", "create", "--name", "Bench"], env)
        application = _json(
            [
                PATRON,
                "application",
                "create",
                "--account-id",
                str(account["id"]),
                "--name",
                "Shop",
                "--sandbox",
            ],
            env,
        )
        subprocess.run(
            [
                PYTHON,
                str(ROOT / "bench" / "seed.py"),
                "--account-id",
                str(account["id"]),
                "--application-id",
                str(application["id"]),
                "--profiles",
                str(args.profiles),
                "--sandbox",
            ],
            env=env,
            check=True,
        )
        server = subprocess.Popen(
            [PATRON, "serve", "--port", str(PORT)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait()
            middle = args.profiles // 2
            _call(
                "PUT",
                f"/v2/customer_profiles/p{middle}",
                application["apiKey"],
                "ApiKey-v1",
                {"attributes": {"Email": "needle@example.com"}},
            )
            rows = _measure(account["managementKey"], application["id"], args.profiles, middle, args.requests)
        finally:
            server.terminate()
            server.wait(timeout=30)
            if args.database == "postgresql":
                _drop(url)
    print(f"| {args.database} | {args.profiles:,} | query | median ms | p95 ms |")
    for name, median, p95 in rows:
        print(f"| {args.database} | {args.profiles:,} | {name} | {median:.1f} | {p95:.1f} |")


def _measure(key: str, app: int, profiles: int, middle: int, count: int) -> list[tuple[str, float, float]]:
    queries = [
        ("GET /v1/customers/{id}", "GET", f"/v1/customers/{middle}", None),
        (
            "GET /v1/customers/no_total (first 50)",
            "GET",
            "/v1/customers/no_total?sandbox=true&pageSize=50",
            None,
        ),
        (
            "GET /v1/customers/no_total (last 50)",
            "GET",
            f"/v1/customers/no_total?sandbox=true&pageSize=50&skip={profiles - 50}",
            None,
        ),
        (
            "POST /v1/customer_search/no_total (1 match by Email)",
            "POST",
            "/v1/customer_search/no_total?sandbox=true",
            {"attributes": {"Email": "needle@example.com"}},
        ),
        (
            "POST /v1/customer_search/no_total (by integrationIDs)",
            "POST",
            "/v1/customer_search/no_total?sandbox=true",
            {"integrationIDs": [f"p{middle}"]},
        ),
        (
            "GET /v1/applications/{app}/customers (first 50)",
            "GET",
            f"/v1/applications/{app}/customers?pageSize=50",
            None,
        ),
        (
            "GET /v1/applications/{app}/customers?integrationId",
            "GET",
            f"/v1/applications/{app}/customers?integrationId=p{middle}",
            None,
        ),
        (
            "GET /v1/applications/{app}/sessions (first 50)",
            "GET",
            f"/v1/applications/{app}/sessions?pageSize=50",
            None,
        ),
        (
            "GET /v1/applications/{app}/sessions?profile",
            "GET",
            f"/v1/applications/{app}/sessions?profile=p{middle}",
            None,
        ),
        (
            "GET /v1/applications/{app}/customers/{id}/analytics",
            "GET",
            f"/v1/applications/{app}/customers/{middle}/analytics",
            None,
        ),
    ]
    rows = []
    for name, method, path, body in queries:
        _call(method, path, key, "ManagementKey-v1", body)
        times = []
        for _ in range(count):
            started = time.perf_counter()
            _call(method, path, key, "ManagementKey-v1", body)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        rows.append((name, statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]))
    return rows


def _call(method: str, path: str, key: str, prefix: str, body: object) -> object:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=data, method=method)
    request.add_header("Authorization", f"{prefix} {key}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read() or b"null")


def _wait() -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("patron did not start")


def _json(command: list[str], env: dict[str, str]) -> dict[str, object]:
    return json.loads(subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout)  # type: ignore[no-any-return]


def _database(kind: str, workdir: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir}/patron.db"
    name = f"patron_bench_mgmt_{os.getpid()}"
    subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True)
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def _drop(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)


if __name__ == "__main__":
    sys.exit(main())
