"""Cold start: from spawning `patron serve` to its first 200 on /healthz, against the baseline.

Migrates a temporary SQLite database once (`patron migrate`), then N times (default 10) spawns
`patron serve` on a fresh port against it and, alternating with it, the fixed-JSON app of
`bench/baseline.py` on the same uvicorn with the options `bench/run.py` gives it; each is timed
from spawn to its first 200 answer, then stopped. One more start of each comes first and is not
counted: it writes the bytecode caches and warms the page cache. The servers run without
PYTHONDONTWRITEBYTECODE, as an installed server would, so that they read those caches. Prints
min / median / max of both and the ratio of the medians (see BENCHMARKS.md).

    .venv/bin/python bench/cold_start.py [--runs 10] [--venv .venv]
"""

import argparse
import contextlib
import os
import platform
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--runs", type=int, default=10, help="starts of each server")
    parser.add_argument("--venv", default=str(ROOT / ".venv"), help="where patron and uvicorn are installed")
    args = parser.parse_args()
    bin_dir = Path(args.venv).resolve() / "bin"
    # patron from this checkout's src/, as bench/run.py runs it.
    env = {
        **{name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"},
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
    }
    print(_machine_line(args.runs), flush=True)
    with tempfile.TemporaryDirectory(prefix="patron-cold-") as workdir:
        env["PATRON_DATABASE_URL"] = f"sqlite:///{Path(workdir) / 'cold.db'}"
        subprocess.run([str(bin_dir / "patron"), "migrate"], env=env, check=True, capture_output=True)
        patron: list[float] = []
        baseline: list[float] = []
        for run in range(args.runs + 1):
            # Run 0 is not counted: it writes the bytecode caches and warms the page cache.
            patron_s = _cold_start(_patron_command(bin_dir, port := _free_port()), env, port, "/healthz")
            baseline_s = _cold_start(_baseline_command(bin_dir, port := _free_port()), env, port, "/")
            if run:
                patron.append(patron_s)
                baseline.append(baseline_s)
            print(
                f"# run {run or 'warm-up'}: patron {patron_s:.3f} s, baseline {baseline_s:.3f} s", flush=True
            )
    print()
    print("| server | runs | min s | median s | max s |")
    print("|---|---:|---:|---:|---:|")
    for name, times in (("patron serve (SQLite at head)", patron), ("baseline (fixed JSON)", baseline)):
        low, middle, high = min(times), statistics.median(times), max(times)
        print(f"| {name} | {len(times)} | {low:.3f} | {middle:.3f} | {high:.3f} |")
    print()
    print(f"patron ÷ baseline (medians): {statistics.median(patron) / statistics.median(baseline):.1f} times")
    print("load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


def _patron_command(bin_dir: Path, port: int) -> list[str]:
    return [str(bin_dir / "patron"), "serve", "--port", str(port)]


def _baseline_command(bin_dir: Path, port: int) -> list[str]:
    # The options bench/run.py serves the baseline with (one process).
    return [
        str(bin_dir / "uvicorn"),
        "bench.baseline:app",
        "--port",
        str(port),
        "--workers",
        "1",
        "--lifespan",
        "off",
        "--log-level",
        "warning",
        "--no-access-log",
    ]


def _cold_start(command: list[str], env: dict[str, str], port: int, path: str) -> float:
    """Seconds from spawning `command` to its first 200 on `path`; the server is stopped after."""
    started = time.monotonic()
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        return _wait_ready(server, port, path) - started
    finally:
        _stop(server)


def _wait_ready(server: "subprocess.Popen[bytes]", port: int, path: str) -> float:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1) as response:
                if response.status == 200:
                    return time.monotonic()
        except OSError:
            time.sleep(0.005)
    raise RuntimeError("server did not answer within 60 s")


def _stop(server: "subprocess.Popen[bytes]") -> None:
    try:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    if server.stderr is not None:
        server.stderr.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _machine_line(runs: int) -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs ({cpu}), Python "
        f"{platform.python_version()}, load average {load}; {runs} starts of each"
    )


if __name__ == "__main__":
    main()
