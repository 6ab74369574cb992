"""Seed N profiles, each with one closed session, straight into the database (10k rows a transaction).

Usage: PATRON_DATABASE_URL=... python bench/seed.py --account-id A --application-id APP --profiles N

Profile i (1..N) has integration id "p<i>" and, on a fresh database, primary key i; its session
is "s<i>", closed, total 10.00, so the counters agree with `patron check`. Rows are built by
patron's own row mappers (`store/profiles.py` and `store/sessions.py`: `values()`) from one
domain value, then copied with the ids changed, and written through patron's own store, so they
are exactly the rows the API reads.
"""

import argparse
import asyncio
import time
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from patron.config import Settings
from patron.domain.profiles import ProfileAggregates, new_profile
from patron.domain.sessions import CartItem, SessionState, SessionUpdate, create_session
from patron.store import profiles as profile_rows
from patron.store import schema
from patron.store import sessions as session_rows
from patron.store._dialect import refresh_statistics
from patron.store.database import open_database

BATCH = 10_000


def with_id(insert: str) -> str:
    """A store's `INSERT INTO t (a, ...) VALUES (?, ...)` that also sets the primary key `id`."""
    head, values = insert.split(" VALUES (", 1)
    table, columns = head.split(" (", 1)
    return f"{table} (id, {columns} VALUES (?, {values}"


PROFILES = with_id(profile_rows.INSERT)
SESSIONS = with_id(session_rows.INSERT)
LINKS = "INSERT INTO application_customers (application_id, profile_id) VALUES (?, ?)"


async def seed(args: argparse.Namespace) -> None:
    now = datetime.now(UTC)
    profile = replace(
        new_profile(account_id=args.account_id, sandbox=args.sandbox, integration_id="p0", now=now),
        attributes={"Name": "Seeded Customer", "Email": "seeded@example.com"},
        aggregates=ProfileAggregates(1, Decimal("10.00")),
    )
    session = create_session(
        application_id=args.application_id,
        integration_id="s0",
        update=SessionUpdate(
            profile_id="p0",
            state=SessionState.CLOSED,
            cart_items=(CartItem(sku="SKU-1", quantity=1, price=Decimal("10.00"), name="Shoe"),),
        ),
        first_session=True,
        now=now,
    )

    database = await open_database(Settings())
    try:
        await schema.bring_up_to_date(database)
        started = time.monotonic()
        for start in range(1, args.profiles + 1, BATCH):
            ids = range(start, min(start + BATCH, args.profiles + 1))
            async with database.transaction(write=True) as tx:
                # (account_id, sandbox, integration_id, ...) and (application_id, integration_id,
                # profile_id, profile_integration_id, ...): the ids changed, the rest as the store writes it.
                p = profile_rows.values(tx, profile)
                s = session_rows.values(tx, session, 0)
                await tx.run_many(PROFILES, [(i, *p[:2], f"p{i}", *p[3:]) for i in ids])
                await tx.run_many(LINKS, [(args.application_id, i) for i in ids])
                await tx.run_many(SESSIONS, [(i, s[0], f"s{i}", i, f"p{i}", *s[4:]) for i in ids])
        async with database.transaction(write=True) as tx:
            if tx.dialect == "postgresql":
                # Explicit ids leave PostgreSQL's sequences behind (SQLite's AUTOINCREMENT follows by itself).
                for table in ("customer_profiles", "customer_sessions"):
                    await tx.value(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" (SELECT max(id) FROM {table}))"
                    )
            # As autovacuum would soon: a planner without statistics scans a million rows.
            await refresh_statistics(tx, ["customer_profiles", "application_customers", "customer_sessions"])
    finally:
        await database.close()
    print(f"seeded {args.profiles} profiles and sessions in {time.monotonic() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--account-id", type=int, required=True)
    parser.add_argument("--application-id", type=int, required=True)
    parser.add_argument("--profiles", type=int, required=True)
    parser.add_argument("--sandbox", action="store_true")
    asyncio.run(seed(parser.parse_args()))


if __name__ == "__main__":
    main()
