"""The execution-model bake-off: patron's checkout step on candidate stacks, measured in one run.

Usage (after `sh scripts/install.sh test` and `pip install -r bench/bakeoff/requirements.txt`):

    .venv/bin/python bench/bakeoff/run.py [--stacks starlette,litestar] [--servers uvicorn,granian]
        [--databases sqlite,postgres] [--drivers asyncpg,psycopg] [--duration 10] [--profiles 10000]

For every server it first drives `bench/baseline.py` (a fixed JSON answer) with the same wrk
script and options; then, for every candidate, it starts the candidate's app on a fresh copy of
one seeded database, checks that money comes back exact (a price of 0.1000000000000000000001),
warms up, and drives bench/lua/patron.lua's checkout workload (open, update, close; 32
connections). It reads the server's CPU time from /proc before and after the measured run, so
"CPU ms per request" is the server's own work, not the load generator's. Prints one Markdown
table: req/s, ratio to the same server's baseline, p50/p99, errors, CPU per request.
Instruction counts are separate (`bench/bakeoff/instructions.sh`).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

import simplejson

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import run as bench  # noqa: E402  (bench/run.py: seeding, wrk, server start and stop)
from _serving import wait_ready  # noqa: E402

EXACT = "0.1000000000000000000001"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--stacks", default="starlette,litestar")
    parser.add_argument("--servers", default="uvicorn,granian")
    parser.add_argument("--databases", default="sqlite")
    parser.add_argument("--drivers", default="asyncpg", help="PostgreSQL drivers: asyncpg, psycopg")
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--venv", default=str(ROOT / ".venv"))
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
    )
    args = parser.parse_args()
    args.scales = [args.profiles]
    args.workers = 1
    args.profile = ""
    venv = Path(args.venv).resolve()
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
    }
    workdir = Path(tempfile.mkdtemp(prefix="patron-bakeoff-"))
    print(bench._machine_line(args), flush=True)
    rows: list[str] = []
    baselines: dict[str, float] = {}
    for server in args.servers.split(","):
        rps, figures, cpu = _measure(args, env, _command(server, "bench.baseline:app", args.port), None, "/")
        baselines[server] = rps
        rows.append(_row("baseline (fixed JSON)", server, "-", rps, 1.0, figures, cpu))
        print("# " + rows[-1], flush=True)
    for database in args.databases.split(","):
        seeded = bench._seed(
            args, env, workdir, "postgres" if database == "postgres" else "sqlite", args.profiles
        )
        drivers = args.drivers.split(",") if database == "postgres" else ["sqlite3"]
        for driver in drivers:
            for stack in args.stacks.split(","):
                for server in args.servers.split(","):
                    url = bench._fresh_copy(args, workdir, seeded)
                    run_env = {**env, "BAKEOFF_DATABASE_URL": url, "BAKEOFF_DRIVER": driver}
                    command = _command(server, f"bench.bakeoff.app_{stack}:app", args.port)
                    rps, figures, cpu = _measure(args, run_env, command, seeded, "/healthz")
                    label = f"{stack} + {'msgspec' if stack != 'fastapi' else 'pydantic'}"
                    rows.append(
                        _row(
                            label,
                            server,
                            f"{database} ({driver})",
                            rps,
                            rps / baselines[server],
                            figures,
                            cpu,
                        )
                    )
                    print("# " + rows[-1], flush=True)
        bench._drop_seed(args, seeded)
    print()
    print(
        "| stack | server | database (driver) | req/s | ÷ baseline | p50 ms | p99 ms | errors |"
        " CPU ms/request |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


def _command(server: str, app: str, port: int) -> list[str]:
    if server == "granian":
        return [
            "granian",
            "--interface",
            "asgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--loop",
            "uvloop",
            "--no-ws",
            "--log-level",
            "warning",
            app,
        ]
    return [
        "uvicorn",
        app,
        "--port",
        str(port),
        "--lifespan",
        "on",
        "--log-level",
        "warning",
        "--no-access-log",
    ]


def _measure(
    args: argparse.Namespace, env: dict[str, str], command: list[str], seeded: Any, ready: str
) -> tuple[float, dict[str, int], float]:
    bench._wait_port_free(args.port)
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        wait_ready(server, args.port, ready)
        key = seeded.key if seeded else "k"
        if seeded is not None:
            _check_exact(args.port, key)
        wrk_env = {
            **env,
            "BENCH_WORKLOAD": "checkout",
            "BENCH_KEY": key,
            "BENCH_MKEY": seeded.mkey if seeded else "m",
            "BENCH_PROFILES": str(args.profiles),
        }
        bench._wrk(args, {**wrk_env, "BENCH_RUN": "w"}, args.warmup)
        before = _cpu_seconds(server.pid)
        figures = bench._wrk(args, {**wrk_env, "BENCH_RUN": "m"}, args.duration)
        cpu = _cpu_seconds(server.pid) - before
    finally:
        bench._stop(server)
    rps = figures["requests"] / (figures["duration_us"] / 1e6)
    return rps, figures, cpu / max(figures["requests"], 1) * 1000


def _check_exact(port: int, key: str) -> None:
    """Money must come back exactly as sent, through every layer of the stack."""
    body = (
        '{"customerSession":{"profileId":"exact","state":"closed","cartItems":[{"sku":"X","quantity":1,'
        f'"price":{EXACT}}}]}},"responseContent":["customerSession","customerProfile"]}}'
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v2/customer_sessions/exact-{time.time_ns()}",
        data=body,
        method="PUT",
        headers={"Authorization": f"ApiKey-v1 {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = simplejson.loads(response.read(), use_decimal=True)
    price = answer["customerSession"]["cartItems"][0]["price"]
    total = answer["customerSession"]["total"]
    if not (price == total == Decimal(EXACT) and str(price) == EXACT):
        raise SystemExit(f"money is not exact: price {price!r}, total {total!r}")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of the process and its children (a server's workers), in seconds."""
    total = 0
    ticks = os.sysconf("SC_CLK_TCK")
    for process in bench._RssSampler(pid)._tree():
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _row(
    label: str, server: str, database: str, rps: float, ratio: float, f: dict[str, int], cpu: float
) -> str:
    errors = sum(f[k] for k in ("connect", "read", "write", "timeout", "status"))
    return (
        f"| {label} | {server} | {database} | {rps:,.0f} | {ratio:.3f} | {f['p50_us'] / 1000:.1f} | "
        f"{f['p99_us'] / 1000:.1f} | {errors} | {cpu:.2f} |"
    )


if __name__ == "__main__":
    main()
