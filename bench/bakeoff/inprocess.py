"""CPU per checkout request of one bake-off stack, without an HTTP server (and for callgrind).

Usage: BAKEOFF_DATABASE_URL=sqlite:///seeded.db BENCH_KEY=... \
    .venv/bin/python bench/bakeoff/inprocess.py --stack starlette [--requests 3000] [--profile]

Runs the app's lifespan, then sends bench/lua/patron.lua's checkout steps (the same bodies as
bench/inprocess.py) straight to the ASGI app, one at a time.
"""

import argparse
import asyncio
import importlib
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from inprocess import Client, checkout_requests, drive  # noqa: E402  (bench/inprocess.py)


async def _lifespan(app: Any) -> None:
    messages = [{"type": "lifespan.startup"}]
    started = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await asyncio.sleep(3600)
        return {}

    async def send(message: dict[str, Any]) -> None:
        if message["type"].startswith("lifespan.startup"):
            started.set()

    asyncio.get_running_loop().create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send)
    )
    await started.wait()


async def measure(args: argparse.Namespace) -> None:
    app = importlib.import_module(f"bench.bakeoff.app_{args.stack}").app
    await _lifespan(app)
    client = Client(app)
    make = checkout_requests(os.environ["BENCH_KEY"], f"ip{os.getpid()}")
    warm = [r for n in range(30) for r in make(100_000 + n)]
    await drive(client, warm)
    requests = [r for n in range(args.requests // 3 + 1) for r in make(n)][: args.requests]
    profiler: Any = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu = time.process_time()
    await drive(client, requests)
    cpu = time.process_time() - cpu
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
    print(f"{args.stack}: {len(requests)} requests, {cpu / len(requests) * 1e6:.0f} µs CPU per request")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stack", default="starlette")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", action="store_true")
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
