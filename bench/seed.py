"""Seed N profiles, each with one closed session, straight into the database (10k rows a transaction).

Usage: PATRON_DATABASE_URL=... python bench/seed.py --account-id A --application-id APP --profiles N

Profile i (1..N) has integration id "p<i>" and, on a fresh database, primary key i; its session
is "s<i>", closed, total 10.00, so the counters agree with `patron check`. Rows are built by
patron's own row mappers from one domain value, then copied with the ids changed.
"""

import argparse
import time
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import insert, text

from patron.config import Settings
from patron.domain.profiles import ProfileAggregates, new_profile
from patron.domain.sessions import CartItem, SessionState, SessionUpdate, create_session
from patron.store import profiles as profile_rows
from patron.store import sessions as session_rows
from patron.store.engine import make_engine
from patron.store.schema import upgrade
from patron.store.tables import application_customers, customer_profiles, customer_sessions

BATCH = 10_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--account-id", type=int, required=True)
    parser.add_argument("--application-id", type=int, required=True)
    parser.add_argument("--profiles", type=int, required=True)
    parser.add_argument("--sandbox", action="store_true")
    args = parser.parse_args()

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
    profile_row = profile_rows._to_row(profile)
    session_row = session_rows._to_row(session, None)

    engine = make_engine(Settings())
    upgrade(engine)
    started = time.monotonic()
    for start in range(1, args.profiles + 1, BATCH):
        ids = range(start, min(start + BATCH, args.profiles + 1))
        with engine.begin() as connection:
            connection.execute(
                insert(customer_profiles),
                [{**profile_row, "id": i, "integration_id": f"p{i}"} for i in ids],
            )
            connection.execute(
                insert(application_customers),
                [{"application_id": args.application_id, "profile_id": i} for i in ids],
            )
            connection.execute(
                insert(customer_sessions),
                [
                    {
                        **session_row,
                        "id": i,
                        "integration_id": f"s{i}",
                        "profile_id": i,
                        "profile_integration_id": f"p{i}",
                    }
                    for i in ids
                ],
            )
    if engine.dialect.name == "postgresql":
        # Explicit ids leave PostgreSQL's sequences behind (SQLite's AUTOINCREMENT follows by itself).
        with engine.begin() as connection:
            for table in ("customer_profiles", "customer_sessions"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    with engine.begin() as connection:
        # As autovacuum would soon: a planner without statistics scans a million rows.
        connection.execute(text("ANALYZE" if engine.dialect.name == "postgresql" else "PRAGMA optimize"))
    engine.dispose()
    print(f"seeded {args.profiles} profiles and sessions in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
