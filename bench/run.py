"""Benchmark patron against the ceiling of its own HTTP stack, measured in the same run.

For each scale (stored profiles) and database, every workload runs on a fresh copy of a seeded
database against a freshly started `patron serve`; the same wrk script then drives
`bench/baseline.py` (a fixed JSON answer on the same server, same processes). Prints a
Markdown table and writes every figure as JSON to --json.

Run through `sh bench/run.sh`, which installs what this needs; see BENCHMARKS.md.
"""

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _serving import wait_ready  # bench/ is on the path: these run as scripts

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "lua" / "patron.lua"
WORKLOADS = ("checkout", "upsert", "reads", "mix")
DATABASES = ("sqlite", "sqlite-full", "postgres")


@dataclass
class Result:
    target: str  # "patron" or "baseline"
    database: str
    scale: int
    workload: str
    workers: int
    requests: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    cold_start_s: float = 0.0
    rss_mb: float = 0.0  # the largest sum over the server's processes, sampled under load
    # The server's own CPU (user + system, every process of it) over the measured run, per request.
    cpu_ms: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def main() -> None:
    args = _arguments()
    venv = Path(args.venv).resolve()
    # patron from this checkout's src/, whatever the virtualenv's editable install points at.
    env_base = {
        **os.environ,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
    }
    results: list[Result] = []
    workdir = Path(tempfile.mkdtemp(prefix="patron-bench-"))
    print(_machine_line(args), flush=True)
    try:
        baselines = {w: _baseline(args, env_base, w) for w in args.workloads}
        results.extend(baselines.values())
        for scale in args.scales:
            for database in args.databases:
                seeded = _seed(args, env_base, workdir, database, scale)
                for workload in args.workloads:
                    result = _patron_run(args, env_base, workdir, seeded, workload)
                    results.append(result)
                    _print_row(result, baselines[workload])
                _drop_seed(args, seeded)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(_table(results))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"machine": _machine_line(args), "results": [asdict(r) for r in results]}, indent=1)
        )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--scales", default="10000,1000000", help="stored profiles, comma-separated")
    parser.add_argument("--databases", default=",".join(DATABASES), help=", ".join(DATABASES))
    parser.add_argument("--workloads", default=",".join(WORKLOADS), help=", ".join(WORKLOADS))
    parser.add_argument("--workers", type=int, default=1, help="server processes (patron serve --workers)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=15, help="measured seconds per run")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured seconds before each run")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--venv", default=str(ROOT / ".venv"), help="where patron and uvicorn are installed")
    parser.add_argument("--json", default="", help="also write every figure to this file")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--profile",
        default="",
        help="run patron under py-spy (bench/requirements.txt) and write its samples to this folder",
    )
    args = parser.parse_args()
    args.scales = [int(s) for s in args.scales.split(",")]
    args.databases = args.databases.split(",")
    args.workloads = args.workloads.split(",")
    for database in args.databases:
        if database not in DATABASES:
            parser.error(f"unknown database {database!r}")
    for workload in args.workloads:
        if workload not in WORKLOADS:
            parser.error(f"unknown workload {workload!r}")
    return args


def _machine_line(args: argparse.Namespace) -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs ({cpu}), Python "
        f"{platform.python_version()}, load average {load}; {args.connections} connections, "
        f"{args.duration} s per run after {args.warmup} s warm-up, {args.workers} server process(es)"
    )


# --- databases -------------------------------------------------------------------------------


@dataclass
class Seeded:
    database: str
    scale: int
    url: str  # the seeded template (a file for SQLite, a database for PostgreSQL)
    key: str
    mkey: str


def _seed(args: argparse.Namespace, env: dict[str, str], workdir: Path, database: str, scale: int) -> Seeded:
    if database.startswith("sqlite"):
        # Both SQLite variants start from the same file: durability is a per-connection setting.
        path = workdir / f"seed-{scale}.db"
        url = f"sqlite:///{path}"
        done = workdir / f"seed-{scale}.json"
        if done.exists():
            keys = json.loads(done.read_text())
            return Seeded(database, scale, url, keys["key"], keys["mkey"])
    else:
        name = f"patron_bench_seed_{scale}"
        _pg_admin(args, f"DROP DATABASE IF EXISTS {name}")
        _pg_admin(args, f"CREATE DATABASE {name}")
        url = f"{args.postgres_url}/{name}"
    started = time.monotonic()
    env = {**env, "PATRON_DATABASE_URL": url}
    account = json.loads(_check_output(["patron", "account", "create", "--name", "bench"], env))
    application = json.loads(
        _check_output(
            ["patron", "application", "create", "--account-id", str(account["id"]), "--name", "shop"], env
        )
    )
    subprocess.run(
        [
            str(Path(args.venv) / "bin" / "python"),
            str(ROOT / "bench" / "seed.py"),
            "--account-id",
            str(account["id"]),
            "--application-id",
            str(application["id"]),
            "--profiles",
            str(scale),
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if database == "postgres":
        _pg_admin(args, "VACUUM ANALYZE", database=url.rsplit("/", 1)[1])
    print(f"# seeded {scale} profiles on {database} in {time.monotonic() - started:.0f} s", flush=True)
    if database.startswith("sqlite"):
        (workdir / f"seed-{scale}.json").write_text(
            json.dumps({"key": application["apiKey"], "mkey": account["managementKey"]})
        )
    return Seeded(database, scale, url, application["apiKey"], account["managementKey"])


def _drop_seed(args: argparse.Namespace, seeded: Seeded) -> None:
    if seeded.database == "postgres":
        _pg_admin(args, f"DROP DATABASE IF EXISTS {seeded.url.rsplit('/', 1)[1]}")
    elif seeded.database == "sqlite-full" or "sqlite-full" not in args.databases:
        Path(seeded.url.removeprefix("sqlite:///")).unlink(missing_ok=True)


def _fresh_copy(args: argparse.Namespace, workdir: Path, seeded: Seeded) -> str:
    if seeded.database.startswith("sqlite"):
        path = workdir / "run.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(seeded.url.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"
    template = seeded.url.rsplit("/", 1)[1]
    _pg_admin(args, "DROP DATABASE IF EXISTS patron_bench_run")
    _pg_admin(args, f"CREATE DATABASE patron_bench_run TEMPLATE {template}")
    return f"{args.postgres_url}/patron_bench_run"


def _pg_admin(args: argparse.Namespace, sql: str, database: str = "postgres") -> None:
    import psycopg  # only when PostgreSQL is benchmarked

    with psycopg.connect(f"{args.postgres_url}/{database}", autocommit=True) as connection:
        connection.execute(sql.encode())


# --- runs ------------------------------------------------------------------------------------


def _patron_run(
    args: argparse.Namespace, env: dict[str, str], workdir: Path, seeded: Seeded, workload: str
) -> Result:
    url = _fresh_copy(args, workdir, seeded)
    server_env = {
        **env,
        "PATRON_DATABASE_URL": url,
        "PATRON_SQLITE_SYNCHRONOUS": "FULL" if seeded.database == "sqlite-full" else "NORMAL",
    }
    command = ["patron", "serve", "--port", str(args.port), "--workers", str(args.workers)]
    if args.profile:
        samples = Path(args.profile) / f"{seeded.database}-{seeded.scale}-{workload}.txt"
        samples.parent.mkdir(parents=True, exist_ok=True)
        py_spy = ROOT / ".venv-bench" / "bin" / "py-spy"
        command = [
            str(py_spy),
            "record",
            "--subprocesses",
            "--format",
            "raw",
            "--rate",
            "250",
            "--nonblocking",
            "-o",
            str(samples),
            "--",
            *command,
        ]
    result = Result("patron", seeded.database, seeded.scale, workload, args.workers)
    _drive(args, command, server_env, "/healthz", seeded, workload, result)
    return result


def _baseline(args: argparse.Namespace, env: dict[str, str], workload: str) -> Result:
    command = [
        "uvicorn",
        "bench.baseline:app",
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
        "--lifespan",
        "off",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    result = Result("baseline", "-", 0, workload, args.workers)
    none = Seeded("-", args.scales[0], "", "k", "m")
    _drive(args, command, env, "/", none, workload, result)
    _print_row(result, None)
    return result


def _drive(
    args: argparse.Namespace,
    command: list[str],
    env: dict[str, str],
    ready_path: str,
    seeded: Seeded,
    workload: str,
    result: Result,
) -> None:
    _wait_port_free(args.port)
    started = time.monotonic()
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        result.cold_start_s = wait_ready(server, args.port, ready_path) - started
        wrk_env = {
            **env,
            "BENCH_WORKLOAD": workload,
            "BENCH_KEY": seeded.key,
            "BENCH_MKEY": seeded.mkey,
            "BENCH_PROFILES": str(seeded.scale),
        }
        if args.warmup:
            _wrk(args, {**wrk_env, "BENCH_RUN": "w"}, args.warmup)
        sampler = _RssSampler(server.pid)
        cpu_before = _cpu_seconds(sampler)
        figures = _wrk(args, {**wrk_env, "BENCH_RUN": "m"}, args.duration, sampler)
        cpu = _cpu_seconds(sampler) - cpu_before
        result.requests = figures["requests"]
        result.seconds = figures["duration_us"] / 1e6
        result.rps = figures["requests"] / result.seconds
        result.p50_ms = figures["p50_us"] / 1000
        result.p99_ms = figures["p99_us"] / 1000
        result.errors = sum(figures[k] for k in ("connect", "read", "write", "timeout", "status"))
        result.rss_mb = sampler.peak_mb
        result.cpu_ms = cpu / max(result.requests, 1) * 1000
        result.extra = {"p90_ms": figures["p90_us"] / 1000, "max_ms": figures["max_us"] / 1000}
    finally:
        _stop(server)


def _wrk(
    args: argparse.Namespace, env: dict[str, str], seconds: int, sampler: "_RssSampler | None" = None
) -> dict[str, int]:
    command = [
        "wrk",
        f"-t{args.connections}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{args.port}",
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    while sampler is not None and process.poll() is None:
        sampler.sample()
        time.sleep(0.5)
    out, _ = process.communicate(timeout=seconds + 30)
    for line in out.splitlines():
        if line.startswith("BENCH "):
            figures: dict[str, int] = json.loads(line[6:])
            return figures
    raise RuntimeError(f"wrk printed no figures:\n{out}")


def _cpu_seconds(sampler: "_RssSampler") -> float:
    """User + system CPU seconds of the server's processes so far (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in sampler._tree():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


class _RssSampler:
    """The largest total resident memory of a process and its children, in MB."""

    def __init__(self, pid: int) -> None:
        self._pid = pid
        self.peak_mb = 0.0

    def sample(self) -> None:
        total = 0
        for pid in self._tree():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        self.peak_mb = max(self.peak_mb, total / 1024)

    def _tree(self) -> list[int]:
        pids, frontier = [self._pid], [self._pid]
        while frontier:
            parent = frontier.pop()
            try:
                children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
            except OSError:
                continue
            pids.extend(int(c) for c in children)
            frontier.extend(int(c) for c in children)
        return pids


def _stop(server: subprocess.Popen[bytes]) -> None:
    try:
        # SIGINT: uvicorn shuts down gracefully, and py-spy (with --profile) writes its samples.
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _wait_port_free(port: int) -> None:
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} stays busy")


def _check_output(command: list[str], env: dict[str, str]) -> str:
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


# --- output ----------------------------------------------------------------------------------


def _print_row(result: Result, baseline: Result | None) -> None:
    print("# " + _row(result, baseline), flush=True)


def _row(r: Result, baseline: Result | None) -> str:
    ratio = f"{r.rps / baseline.rps:.3f}" if baseline and baseline.rps else "1.000"
    p99_ratio = f"{r.p99_ms / baseline.p99_ms:.1f}" if baseline and baseline.p99_ms else "1.0"
    scale = f"{r.scale:,}" if r.scale else "-"
    return (
        f"| {r.target} | {r.database} | {scale} | {r.workload} | {r.rps:,.0f} | {r.p50_ms:.1f} | "
        f"{r.p99_ms:.1f} | {r.errors} | {ratio} | {p99_ratio} | {r.cpu_ms:.3f} | {r.cold_start_s:.2f} | "
        f"{r.rss_mb:.0f} |"
    )


def _table(results: list[Result]) -> str:
    baselines = {r.workload: r for r in results if r.target == "baseline"}
    lines = [
        "| server | database | profiles | workload | req/s | p50 ms | p99 ms | errors | "
        "req/s ÷ baseline | p99 ÷ baseline | CPU ms/request | cold start s | RSS MB |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [_row(r, None if r.target == "baseline" else baselines.get(r.workload)) for r in results]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
