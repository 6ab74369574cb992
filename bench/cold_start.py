"""Cold start: from spawning `patron serve` to its first 200 on /healthz, against the baseline.

Migrates a temporary SQLite database once (`patron migrate`), then N times (default 10) spawns
`patron serve` on a fresh port against it and, alternating with it, the fixed-JSON app of
`bench/baseline.py` on the same uvicorn with the options `bench/run.py` gives it. Each start is
timed from spawn to the first 200 answer, and the CPU time the server had used by then is read
(the wall time also counts waits for a core); then the server is stopped.
One more start of each comes first and is not counted: it writes the bytecode caches and warms
the page cache. The servers run without PYTHONDONTWRITEBYTECODE, as an installed server would,
so that they read those caches. Prints min / median / max of both and the ratio of the medians
(see BENCHMARKS.md).

On a shared machine the same start can take 1.1 s in one minute and 1.7 s in the next: to compare
two versions, start both in the same run. `--other-src` adds the patron of another src/ folder,
started in turn with this checkout's and the baseline (patron.cli must be importable from it):

    .venv/bin/python bench/cold_start.py [--runs 10] [--venv .venv]
    mkdir /tmp/old && git archive REV src | tar -x -C /tmp/old
    .venv/bin/python bench/cold_start.py --other-src /tmp/old/src
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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from _serving import wait_ready  # bench/ is on the path: these run as scripts

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "baseline (fixed JSON)"


@dataclass
class Start:
    seconds: float  # from spawn to the first 200
    cpu_seconds: float  # user + system CPU the server had used by then (no waits for a core)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--runs", type=int, default=10, help="starts of each server")
    parser.add_argument("--venv", default=str(ROOT / ".venv"), help="where patron and uvicorn are installed")
    parser.add_argument(
        "--other-src",
        default="",
        help="also start patron from this src/ folder (another version), interleaved with the rest",
    )
    args = parser.parse_args()
    bin_dir = Path(args.venv).resolve() / "bin"
    base_env = {
        **{name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"},
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
    }
    # patron from this checkout's src/ (as bench/run.py runs it), and from --other-src if given.
    sources = {"patron serve": ROOT / "src"}
    if args.other_src:
        sources[f"patron serve ({args.other_src})"] = Path(args.other_src).resolve()
    print(_machine_line(args.runs), flush=True)
    starts: dict[str, list[Start]] = {name: [] for name in [*sources, BASELINE]}
    with tempfile.TemporaryDirectory(prefix="patron-cold-") as workdir:
        base_env["PATRON_DATABASE_URL"] = f"sqlite:///{Path(workdir) / 'cold.db'}"
        envs = {
            name: {**base_env, "PYTHONPATH": f"{src}{os.pathsep}{ROOT}"}
            for name, src in [*sources.items(), (BASELINE, ROOT / "src")]
        }
        migrate = [str(bin_dir / "patron"), "migrate"]
        subprocess.run(migrate, env=envs["patron serve"], check=True, capture_output=True)
        for run in range(args.runs + 1):
            # Run 0 is not counted: it writes the bytecode caches and warms the page cache.
            line = []
            for name, env in envs.items():
                port = _free_port()
                if name == BASELINE:
                    start = _cold_start(_baseline_command(bin_dir, port), env, port, "/")
                else:
                    start = _cold_start(_patron_command(bin_dir, port), env, port, "/healthz")
                if run:
                    starts[name].append(start)
                line.append(f"{name} {start.seconds:.3f} s ({start.cpu_seconds:.2f} s CPU)")
            print(f"# run {run or 'warm-up'}: " + ", ".join(line), flush=True)
    print()
    print("| server | starts | min s | median s | max s | median CPU s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, each in starts.items():
        seconds = [start.seconds for start in each]
        cpu = statistics.median(start.cpu_seconds for start in each)
        print(
            f"| {name} | {len(each)} | {min(seconds):.3f} | {statistics.median(seconds):.3f} | "
            f"{max(seconds):.3f} | {cpu:.2f} |"
        )
    print()
    baseline = statistics.median(start.seconds for start in starts[BASELINE])
    for name in sources:
        ratio = statistics.median(start.seconds for start in starts[name]) / baseline
        print(f"{name} ÷ baseline (medians): {ratio:.1f} times")
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


def _cold_start(command: list[str], env: dict[str, str], port: int, path: str) -> Start:
    """Time from spawning `command` to its first 200 on `path`; the server is stopped after."""
    started = time.monotonic()
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        seconds = wait_ready(server, port, path) - started
        return Start(seconds, _cpu_seconds(server.pid))
    finally:
        _stop(server)


def _cpu_seconds(pid: int) -> float:
    # /proc/PID/stat: utime and stime are fields 14 and 15, counted after the ")" ending field 2.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
