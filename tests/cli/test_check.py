"""`patron check` through the installed command: silent on a consistent database, loud on drift."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from patron.domain.returns import ReturnRequestItem
from patron.domain.sessions import CartItem, SessionState, SessionUpdate
from patron.domain.tenancy import ApplicationScope
from patron.services import sessions
from patron.store.database import Transaction
from tests.factories import NOW, Store, create_tenant

# The `patron` script installed beside the interpreter running the tests.
PATRON = str(Path(sys.executable).parent / "patron")


def check(database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATRON_DATABASE_URL": database_url}
    return subprocess.run([PATRON, "check"], env=env, capture_output=True, text=True, timeout=60, check=False)


def close(
    store: Store, scope: ApplicationScope, session_id: str, profile_id: str, *items: CartItem, **costs: str
) -> None:
    update = SessionUpdate(
        profile_id=profile_id,
        state=SessionState.CLOSED,
        cart_items=items,
        additional_costs={name: Decimal(price) for name, price in costs.items()},
    )
    store.write(lambda tx: sessions.update_customer_session(tx, scope, session_id, update, now=NOW))


def item(sku: str, quantity: int, price: str, **costs: str) -> CartItem:
    return CartItem(
        sku=sku,
        quantity=quantity,
        price=Decimal(price),
        additional_costs={name: Decimal(value) for name, value in costs.items()},
    )


def shop(store: Store) -> ApplicationScope:
    """Sessions in every state and path; p1 ends at (3, 69.13), p2 at (1, 12.34)."""
    tenant = create_tenant(store)
    scope = ApplicationScope(tenant.account_id, tenant.sandbox_application_id, True)

    close(store, scope, "kept", "p1", item("A", 2, "19.99"), shipping="4.95")  # 44.93
    close(store, scope, "returned", "p1", item("B", 3, "10.10", gift="0.50"))  # 31.80
    return_one = [ReturnRequestItem(sku="B", quantity=1)]
    # 21.20 left
    store.write(lambda tx: sessions.return_cart_items(tx, scope, "returned", return_one, now=NOW))
    close(store, scope, "cancelled", "p1", item("C", 1, "7.77"))
    cancel = SessionUpdate(state=SessionState.CANCELLED)
    store.write(lambda tx: sessions.update_customer_session(tx, scope, "cancelled", cancel, now=NOW))
    close(store, scope, "reopened", "p1", item("D", 1, "5.00"))
    store.write(lambda tx: sessions.reopen_customer_session(tx, scope, "reopened", now=NOW))
    close(store, scope, "closed again", "p1", item("E", 1, "8.00"))
    store.write(lambda tx: sessions.reopen_customer_session(tx, scope, "closed again", now=NOW))
    close(store, scope, "closed again", "p1", item("E", 1, "3.00"))
    close(store, scope, "other", "p2", item("F", 1, "12.34"))
    close(store, scope, "guest", "", item("G", 1, "99.99"))
    return scope


def drift_lines(stdout: str) -> dict[str, Any]:
    lines = [json.loads(line) for line in stdout.splitlines()]
    return {line["integrationId"]: line for line in lines}


def counters(line: dict[str, Any], side: str) -> tuple[int, Decimal]:
    return line[side]["closedSessions"], Decimal(line[side]["totalSales"])


def test_check_passes_on_a_consistent_database(database_url: str, store: Store) -> None:
    shop(store)

    result = check(database_url)

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "0 profile(s) with drift" in result.stderr


def test_check_lists_each_drifted_profile_with_stored_and_recomputed_counters(
    database_url: str, store: Store
) -> None:
    shop(store)

    async def drift(tx: Transaction) -> None:
        await tx.run(
            "UPDATE customer_profiles SET total_sales = ? WHERE integration_id = 'p1'",
            tx.money(Decimal("69.14")),
        )
        await tx.run("UPDATE customer_profiles SET closed_sessions = 2 WHERE integration_id = 'p2'")

    store.write(drift)

    result = check(database_url)

    assert result.returncode == 1, result.stderr
    assert "2 profile(s) with drift" in result.stderr
    assert len(result.stdout.splitlines()) == 2
    drifted = drift_lines(result.stdout)
    assert set(drifted) == {"p1", "p2"}
    p1, p2 = drifted["p1"], drifted["p2"]
    assert isinstance(p1["profileId"], int)
    assert counters(p1, "stored") == (3, Decimal("69.14"))
    assert counters(p1, "recomputed") == (3, Decimal("69.13"))
    assert counters(p2, "stored") == (2, Decimal("12.34"))
    assert counters(p2, "recomputed") == (1, Decimal("12.34"))
