"""CPU per request on the hot paths, with no HTTP server and no concurrency.

Usage: python bench/inprocess.py [--requests 3000] [--workload checkout|upsert|reads]
                                 [--database-url URL] [--profile cprofile|pyinstrument] [--clients N]

Builds patron's ASGI app on a fresh database (a temp SQLite file unless --database-url), runs
its lifespan (which opens the database and migrates it), then sends the requests of
`bench/lua/patron.lua`'s workloads straight to the app, one at a time, and prints CPU µs, SQL
statements and transactions per request. One request's CPU bounds what one core can serve:
1e6 ÷ µs is the most requests/s a single process can reach on SQLite, whose writers take turns.
The figures are process CPU time, so other load on the machine moves them little; still,
compare runs made one after the other.

Statements are counted as the store's transactions run them (`Transaction.one`, `all`, `run`,
`run_many`, `stream`, and `lock` where it runs one: on PostgreSQL, in a write transaction); a
`run_many` counts once, as one executemany, and `value` once, as the `one` it calls. BEGIN and
COMMIT are not among them: the transactions are counted on their own.
"""

import argparse
import asyncio
import json
import os
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from typing import Any

from patron.api.app import create_app
from patron.config import Settings
from patron.services import tenancy
from patron.store.database import Database, Transaction

ITEM = {"name": "Shoe", "sku": "SKU-1", "quantity": 1, "price": 49.95, "category": "shoes"}
ITEM2 = {"name": "Sock", "sku": "SKU-2", "quantity": 3, "price": 4.5, "category": "socks"}
SESSIONS_PER_PROFILE = 4

Request = tuple[str, str, dict[str, str], bytes]


class Client:
    """Calls an ASGI app directly: one request in, the status and body out."""

    def __init__(self, app: Any) -> None:
        self._app = app

    async def call(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]
            + [(b"content-length", str(len(body)).encode())],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }
        sent = False
        status = 0
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self._app(scope, receive, send)
        return status, b"".join(chunks)


def checkout_requests(key: str, run: str) -> Callable[[int], list[Request]]:
    headers = {"Authorization": f"ApiKey-v1 {key}", "Content-Type": "application/json"}

    def session_body(profile: int, state: str, items: list[dict[str, Any]]) -> bytes:
        return json.dumps(
            {
                "customerSession": {"profileId": f"p{profile}", "state": state, "cartItems": items},
                "responseContent": ["customerSession", "customerProfile"],
            }
        ).encode()

    def make(n: int) -> list[Request]:
        profile = n // SESSIONS_PER_PROFILE + 1
        path = f"/v2/customer_sessions/{run}-{n}"
        return [
            ("PUT", path, headers, session_body(profile, "open", [ITEM])),
            ("PUT", path, headers, session_body(profile, "open", [ITEM, ITEM2])),
            ("PUT", path, headers, session_body(profile, "closed", [ITEM, ITEM2])),
        ]

    return make


def upsert_requests(key: str, run: str) -> Callable[[int], list[Request]]:
    headers = {"Authorization": f"ApiKey-v1 {key}", "Content-Type": "application/json"}

    def make(n: int) -> list[Request]:
        body = {
            "attributes": {"Name": f"Customer {n}", "Email": f"c{n}@example.com", "ShippingCountry": "DE"}
        }
        return [("PUT", f"/v2/customer_profiles/{run}-p{n % 500}", headers, json.dumps(body).encode())]

    return make


def reads_requests(key: str, management_key: str, run: str) -> Callable[[int], list[Request]]:
    integration = {"Authorization": f"ApiKey-v1 {key}"}
    management = {"Authorization": f"ManagementKey-v1 {management_key}"}

    def make(n: int) -> list[Request]:
        session = n % 50
        return [
            ("GET", f"/v2/customer_sessions/{run}-{session}", integration, b""),
            ("GET", f"/v1/customers/{session // SESSIONS_PER_PROFILE + 1}", management, b""),
        ]

    return make


async def drive(client: Client, requests: list[Request]) -> None:
    for method, path, headers, body in requests:
        status, answer = await client.call(method, path, headers, body)
        if status >= 300:
            raise SystemExit(f"{method} {path} answered {status}: {answer[:300]!r}")


class Counts:
    statements = 0
    transactions = 0


@contextmanager
def counting(database: Database) -> Iterator[Counts]:
    """Count the statements and transactions `database` runs while the block lasts."""
    counts = Counts()
    wrapped: dict[tuple[type[Transaction], str], Any] = {}

    def wrap(cls: type[Transaction]) -> None:
        for name in ("one", "all", "run", "run_many"):
            original = wrapped[(cls, name)] = cls.__dict__[name]

            async def statement(self: Transaction, *args: Any, _original: Any = original) -> Any:
                counts.statements += 1
                return await _original(self, *args)

            setattr(cls, name, statement)
        stream = wrapped[(cls, "stream")] = cls.__dict__["stream"]

        def counted_stream(self: Transaction, *args: Any, _original: Any = stream, **options: Any) -> Any:
            counts.statements += 1
            return _original(self, *args, **options)

        lock = wrapped[(cls, "lock")] = cls.__dict__["lock"]

        async def counted_lock(self: Transaction, *names: str, _original: Any = lock) -> None:
            # Only PostgreSQL runs a statement for locks, and only in a write transaction.
            if self.dialect == "postgresql" and names and not self.read_only:
                counts.statements += 1
            await _original(self, *names)

        cls.stream = counted_stream  # type: ignore[method-assign]
        cls.lock = counted_lock  # type: ignore[method-assign]

    transaction = database.transaction

    @asynccontextmanager
    async def counted_transaction(*, write: bool, subject: str = "resource") -> AsyncIterator[Transaction]:
        counts.transactions += 1
        async with transaction(write=write, subject=subject) as tx:
            if (type(tx), "one") not in wrapped:
                wrap(type(tx))
            yield tx

    database.transaction = counted_transaction  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        del database.transaction  # the class's own again
        for (cls, name), original in wrapped.items():
            setattr(cls, name, original)


async def measure(args: argparse.Namespace) -> None:
    app = create_app(Settings(database_url=args.database_url))
    # The database opens (and is migrated) as the app starts, and closes as it ends.
    async with app.lifespan():
        await _measure(args, app, app.state.database)


async def _measure(args: argparse.Namespace, app: Any, database: Database) -> None:
    now = datetime.now(UTC)
    async with database.transaction(write=True) as tx:
        account = await tenancy.create_account(tx, "bench", now=now)
        application = await tenancy.create_application(
            tx, account_id=account.account.id, name="bench", sandbox=False, now=now
        )
    client = Client(app)
    run = f"r{os.getpid()}"
    # Reads need something to read: 50 checkouts first (also the warm-up of every workload).
    checkout = checkout_requests(application.api_key, run)
    for n in range(50):
        await drive(client, checkout(n))
    workloads = {
        "checkout": checkout_requests(application.api_key, f"{run}-m"),
        "upsert": upsert_requests(application.api_key, run),
        "reads": reads_requests(application.api_key, account.management_key, run),
    }
    make = workloads[args.workload]
    per_batch = len(make(0))
    batches = [make(n) for n in range(-(-args.requests // per_batch))]
    requests = [r for batch in batches for r in batch][: args.requests]
    # With --clients N, N clients send at once, each its own batches in order (a session's steps
    # never race), as wrk's connections do: the writes of one turn of the loop commit together.
    shares = [[r for batch in batches[i :: args.clients] for r in batch] for i in range(args.clients)]
    if args.clients > 1:
        requests = [r for share in shares for r in share]

    profiler: Any = None
    if args.profile == "pyinstrument":
        import pyinstrument

        profiler = pyinstrument.Profiler(interval=0.0002)
        profiler.start()
    elif args.profile == "cprofile":
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with counting(database) as counts:
        cpu, wall = time.process_time(), time.perf_counter()
        if args.clients > 1:
            await asyncio.gather(*(drive(client, share) for share in shares))
        else:
            await drive(client, requests)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if args.profile == "pyinstrument":
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    elif args.profile == "cprofile":
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
    n = len(requests)
    print(
        f"{args.workload}: {n} requests, {cpu / n * 1e6:.0f} µs CPU and {wall / n * 1e6:.0f} µs wall"
        " per request, "
        f"{counts.statements / n:.1f} SQL statements in {counts.transactions / n:.1f} transactions"
        f" per request (≤ {n / cpu:.0f} req/s per core)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--workload", choices=["checkout", "upsert", "reads"], default="checkout")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", choices=["cprofile", "pyinstrument"], default=None)
    parser.add_argument("--clients", type=int, default=1, help="clients sending at once (default 1)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        if not args.database_url:
            args.database_url = f"sqlite:///{directory}/bench.db"
        asyncio.run(measure(args))


if __name__ == "__main__":
    main()
