"""Customer profiles and the Applications that have seen them."""

from collections.abc import AsyncGenerator, Mapping
from contextlib import aclosing
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from patron.domain.profiles import AudienceMembership, CustomerProfile, ProfileAggregates
from patron.store._dialect import json_contains, memberships_of_profile
from patron.store.database import Row, Transaction
from patron.store.paging import Found, PageRequest, fetch_page, page_of

COLUMNS = (
    "p.id, p.account_id, p.sandbox, p.integration_id, p.attributes, p.closed_sessions, p.total_sales,"
    " p.created, p.last_activity"
)
INSERT = (
    "INSERT INTO customer_profiles (account_id, sandbox, integration_id, attributes, closed_sessions,"
    " total_sales, created, last_activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_GET = (
    f"SELECT {COLUMNS} FROM customer_profiles p"
    " WHERE p.account_id = ? AND p.sandbox = ? AND p.integration_id = ?"
)
# What a profile update can change (created, and the environment it belongs to, never change).
_SAVE = (
    "UPDATE customer_profiles SET attributes = ?, closed_sessions = ?, total_sales = ?, last_activity = ?"
    " WHERE id = ?"
)
_GET_WITH_MEMBERSHIPS: dict[str, str] = {}


def _get_with_memberships(tx: Transaction) -> str:
    query = _GET_WITH_MEMBERSHIPS.get(tx.dialect)
    if query is None:
        column = memberships_of_profile(tx, "p.id")
        query = _GET_WITH_MEMBERSHIPS[tx.dialect] = _GET.replace(
            " FROM ", f", {column} AS memberships FROM ", 1
        )
    return query


_LINK = "INSERT INTO application_customers (application_id, profile_id) VALUES (?, ?) ON CONFLICT DO NOTHING"


@dataclass(frozen=True, slots=True)
class ProfileFilter:
    """Which profiles a Management API list shows; every given criterion must hold."""

    sandbox: bool | None = None
    integration_ids: tuple[str, ...] | None = None
    ids: tuple[int, ...] | None = None
    # Each present on the profile with an exactly equal value; other attributes do not matter.
    attributes: Mapping[str, Any] | None = None


class ProfileRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def get(
        self, *, account_id: int, sandbox: bool, integration_id: str, memberships: bool = False
    ) -> CustomerProfile | None:
        """The profile, with its audiences (`memberships`, in the same statement) or without."""
        tx = self._tx
        query = _get_with_memberships(tx) if memberships else _GET
        row = await tx.one(query, account_id, sandbox, integration_id)
        if row is None:
            return None
        profile = to_profile(tx, row)
        if memberships:
            # By audience id, as every answer shows them (SEMANTICS 4.11).
            shown = tuple(AudienceMembership(*pair) for pair in sorted(tx.read_json(row["memberships"])))
            profile = replace(profile, audience_memberships=shown)
        return profile

    async def get_by_id(self, profile_id: int) -> CustomerProfile | None:
        row = await self._tx.one(f"SELECT {COLUMNS} FROM customer_profiles p WHERE p.id = ?", profile_id)
        return None if row is None else to_profile(self._tx, row)

    async def add(self, profile: CustomerProfile) -> CustomerProfile:
        new_id = await self._tx.value(f"{INSERT} RETURNING id", *values(self._tx, profile))
        return CustomerProfile(
            id=new_id,
            account_id=profile.account_id,
            sandbox=profile.sandbox,
            integration_id=profile.integration_id,
            created=profile.created,
            last_activity=profile.last_activity,
            attributes=profile.attributes,
            aggregates=profile.aggregates,
            audience_memberships=profile.audience_memberships,
        )

    async def save(self, profile: CustomerProfile) -> None:
        tx = self._tx
        await tx.run(
            _SAVE,
            tx.json(profile.attributes),
            profile.closed_sessions,
            tx.money(profile.total_sales),
            tx.time(profile.last_activity),
            profile.id,
        )

    async def link_application(self, application_id: int, profile_id: int) -> None:
        """Record that the Application has seen the profile (SEMANTICS 1.5); idempotent."""
        await self._tx.run(_LINK, application_id, profile_id)

    async def find(
        self, account_id: int, wanted: ProfileFilter, page: PageRequest, *, application_id: int | None = None
    ) -> Found[CustomerProfile]:
        """One page of the account's matching profiles, in id order.

        With `application_id`, only the profiles that Application has seen (SEMANTICS 1.5).
        """
        query = f"SELECT {COLUMNS} FROM customer_profiles p"
        args: list[Any] = []
        if application_id is not None:
            query += " JOIN application_customers seen ON seen.profile_id = p.id AND seen.application_id = ?"
            args.append(application_id)
        where, where_args = _matching(self._tx, account_id, wanted)
        query += f" WHERE {where} ORDER BY p.id"
        args += where_args
        if not wanted.attributes:
            return await fetch_page(self._tx, query, args, page, lambda row: to_profile(self._tx, row))
        async with aclosing(self._with_attributes(query, args, wanted.attributes)) as matches:
            return await page_of(matches, page)

    async def _with_attributes(
        self, query: str, args: list[Any], wanted: Mapping[str, Any]
    ) -> AsyncGenerator[CustomerProfile, None]:
        async with aclosing(self._tx.stream(query, *args, batch=500)) as rows:
            async for row in rows:
                profile = to_profile(self._tx, row)
                if all(
                    name in profile.attributes and _same(profile.attributes[name], value)
                    for name, value in wanted.items()
                ):
                    yield profile


def _matching(tx: Transaction, account_id: int, wanted: ProfileFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = ["p.account_id = ?"]
    args: list[Any] = [account_id]
    if wanted.sandbox is not None:
        clauses.append("p.sandbox = ?")
        args.append(wanted.sandbox)
    if wanted.integration_ids is not None:
        clauses.append(f"p.integration_id IN ({', '.join('?' * len(wanted.integration_ids))})")
        args += wanted.integration_ids
    if wanted.ids is not None:
        clauses.append(f"p.id IN ({', '.join('?' * len(wanted.ids))})")
        args += wanted.ids
    if wanted.attributes:
        where, where_args = json_contains(tx, "p.attributes", dict(wanted.attributes))
        clauses.append(where)
        args += where_args
    return " AND ".join(clauses), args


def _same(stored: Any, wanted: Any) -> bool:
    """Exact JSON equality: numbers by value (1.5 == 1.50), but true is not 1 and "1" is not 1."""
    if isinstance(stored, bool) or isinstance(wanted, bool):
        return type(stored) is type(wanted) and stored == wanted
    if isinstance(stored, int | float | Decimal) and isinstance(wanted, int | float | Decimal):
        return Decimal(str(stored)) == Decimal(str(wanted))
    if isinstance(stored, list) and isinstance(wanted, list):
        return len(stored) == len(wanted) and all(map(_same, stored, wanted))
    if isinstance(stored, dict) and isinstance(wanted, dict):
        return stored.keys() == wanted.keys() and all(_same(stored[k], wanted[k]) for k in stored)
    return type(stored) is type(wanted) and bool(stored == wanted)


def values(tx: Transaction, profile: CustomerProfile) -> tuple[Any, ...]:
    """The parameters of `INSERT` for a profile (also for batch imports)."""
    return (
        profile.account_id,
        profile.sandbox,
        profile.integration_id,
        tx.json(profile.attributes),
        profile.closed_sessions,
        tx.money(profile.total_sales),
        tx.time(profile.created),
        tx.time(profile.last_activity),
    )


def to_profile(tx: Transaction, row: Row) -> CustomerProfile:
    """A profile from a row of `COLUMNS` (also for queries of other store modules)."""
    return CustomerProfile(
        id=row["id"],
        account_id=row["account_id"],
        sandbox=bool(row["sandbox"]),
        integration_id=row["integration_id"],
        created=tx.read_time(row["created"]),
        last_activity=tx.read_time(row["last_activity"]),
        attributes=tx.read_json(row["attributes"]),
        aggregates=ProfileAggregates(row["closed_sessions"], tx.read_money(row["total_sales"])),
    )
