"""Audiences and who belongs to them."""

from collections import defaultdict
from collections.abc import AsyncGenerator, Iterable
from contextlib import aclosing
from dataclasses import replace
from datetime import datetime
from typing import Any

from patron.domain.audiences import Audience
from patron.domain.profiles import AudienceMembership, CustomerProfile
from patron.store._dialect import contains_text, like_pattern
from patron.store.database import Row, Transaction
from patron.store.paging import Found, PageRequest, fetch_page, order_by
from patron.store.profiles import COLUMNS as PROFILE_COLUMNS
from patron.store.profiles import to_profile

_COLUMNS = (
    "id, account_id, sandbox, name, description, integration, integration_id, created_in_3rd_party,"
    " subscribed_applications_ids, created, last_update"
)


class AudienceRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, audience: Audience) -> Audience:
        new_id = await self._tx.value(
            "INSERT INTO audiences (account_id, sandbox, name, description, integration, integration_id,"
            " created_in_3rd_party, subscribed_applications_ids, created, last_update)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            *_values(self._tx, audience),
        )
        return replace(audience, id=new_id)

    async def get(self, audience_id: int) -> Audience | None:
        row = await self._tx.one(f"SELECT {_COLUMNS} FROM audiences WHERE id = ?", audience_id)
        return None if row is None else _to_audience(self._tx, row)

    async def find_mirrored(
        self, account_id: int, sandbox: bool, integration: str | None, integration_id: str
    ) -> Audience | None:
        row = await self._tx.one(
            f"SELECT {_COLUMNS} FROM audiences WHERE account_id = ? AND sandbox = ? AND integration = ?"
            " AND integration_id = ?",
            account_id,
            sandbox,
            integration or "",
            integration_id,
        )
        return None if row is None else _to_audience(self._tx, row)

    async def list_for_account(self, account_id: int) -> list[Audience]:
        rows = await self._tx.all(
            f"SELECT {_COLUMNS} FROM audiences WHERE account_id = ? ORDER BY id", account_id
        )
        return [_to_audience(self._tx, row) for row in rows]

    async def save(self, audience: Audience) -> None:
        await self._tx.run(
            "UPDATE audiences SET account_id = ?, sandbox = ?, name = ?, description = ?, integration = ?,"
            " integration_id = ?, created_in_3rd_party = ?, subscribed_applications_ids = ?, created = ?,"
            " last_update = ? WHERE id = ?",
            *_values(self._tx, audience),
            audience.id,
        )

    async def touch(self, audience_id: int, *, now: datetime) -> None:
        """Record that the audience's members changed now."""
        await self._tx.run(
            "UPDATE audiences SET last_update = ? WHERE id = ?", self._tx.time(now), audience_id
        )

    async def delete(self, audience_id: int) -> None:
        await self._tx.run("DELETE FROM audiences WHERE id = ?", audience_id)

    async def add_member(self, audience_id: int, profile_id: int, *, now: datetime) -> None:
        await self._tx.run(
            "INSERT INTO audience_memberships (audience_id, profile_id, created) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            audience_id,
            profile_id,
            self._tx.time(now),
        )

    async def remove_member(self, audience_id: int, profile_id: int) -> None:
        await self._tx.run(
            "DELETE FROM audience_memberships WHERE audience_id = ? AND profile_id = ?",
            audience_id,
            profile_id,
        )

    async def remove_all_members(self, audience_id: int) -> None:
        await self._tx.run("DELETE FROM audience_memberships WHERE audience_id = ?", audience_id)

    async def member_ids(self, audience_id: int) -> list[int]:
        rows = await self._tx.all(
            "SELECT profile_id FROM audience_memberships WHERE audience_id = ? ORDER BY profile_id",
            audience_id,
        )
        return [row[0] for row in rows]

    async def memberships_of(self, profile_ids: Iterable[int]) -> dict[int, tuple[AudienceMembership, ...]]:
        """Each profile's audiences as {id, name}, ordered by audience id (SEMANTICS 4.11)."""
        ids = list(profile_ids)
        if not ids:
            return {}
        rows = await self._tx.all(
            "SELECT m.profile_id, a.id, a.name FROM audience_memberships m"
            " JOIN audiences a ON a.id = m.audience_id"
            f" WHERE m.profile_id IN ({', '.join('?' * len(ids))}) ORDER BY m.profile_id, a.id",
            *ids,
        )
        found: dict[int, list[AudienceMembership]] = defaultdict(list)
        for row in rows:
            found[row[0]].append(AudienceMembership(row[1], row[2]))
        return {profile_id: tuple(found[profile_id]) for profile_id in ids}


def _values(tx: Transaction, audience: Audience) -> tuple[Any, ...]:
    return (
        audience.account_id,
        audience.sandbox,
        audience.name,
        audience.description,
        audience.integration or "",
        audience.integration_id,
        audience.created_in_3rd_party,
        tx.json(list(audience.subscribed_applications_ids)),
        tx.time(audience.created),
        tx.time(audience.last_update),
    )


def _to_audience(tx: Transaction, row: Row) -> Audience:
    return Audience(
        id=row["id"],
        account_id=row["account_id"],
        sandbox=bool(row["sandbox"]),
        name=row["name"],
        created=tx.read_time(row["created"]),
        last_update=tx.read_time(row["last_update"]),
        description=row["description"],
        integration=row["integration"] or None,
        integration_id=row["integration_id"],
        created_in_3rd_party=bool(row["created_in_3rd_party"]),
        subscribed_applications_ids=tuple(tx.read_json(row["subscribed_applications_ids"])),
    )


class MembershipQueries:
    """Reading and replacing an audience's members, for the Management API."""

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def members(
        self, audience_id: int, *, profile_query: str | None, sort: str | None, page: PageRequest
    ) -> Found[CustomerProfile]:
        query = (
            f"SELECT {PROFILE_COLUMNS} FROM customer_profiles p"
            " JOIN audience_memberships m ON m.profile_id = p.id WHERE m.audience_id = ?"
        )
        args: list[Any] = [audience_id]
        if profile_query:
            query += f" AND {contains_text('p.integration_id')}"
            args.append(like_pattern(profile_query))
        columns = {"id": "p.id", "created": "p.created", "integrationId": "p.integration_id"}
        query += order_by(sort, columns, tie="p.id")
        return await fetch_page(self._tx, query, args, page, lambda row: to_profile(self._tx, row))

    async def member_integration_ids(self, audience_id: int) -> AsyncGenerator[str, None]:
        rows = self._tx.stream(
            "SELECT p.integration_id FROM customer_profiles p"
            " JOIN audience_memberships m ON m.profile_id = p.id"
            " WHERE m.audience_id = ? ORDER BY p.id",
            audience_id,
        )
        async with aclosing(rows):
            async for row in rows:
                yield row[0]

    async def record_import(self, account_id: int, entity: str, amount: int, *, now: datetime) -> int:
        new_id: int = await self._tx.value(
            "INSERT INTO imports (account_id, entity, amount, created) VALUES (?, ?, ?, ?) RETURNING id",
            account_id,
            entity,
            amount,
            self._tx.time(now),
        )
        return new_id
