"""Audiences and who belongs to them."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from patron.domain.audiences import Audience
from patron.domain.profiles import AudienceMembership, CustomerProfile
from patron.store._dialect import dialect_insert
from patron.store.paging import Found, PageRequest, fetch_page, order_by
from patron.store.profiles import profile_from_row
from patron.store.tables import audience_memberships, audiences, customer_profiles, imports

_t, _m = audiences, audience_memberships

# Built once: every profile answer reads its memberships.
_MEMBERSHIPS = (
    select(_m.c.profile_id, _t.c.id, _t.c.name)
    .join(_t, _t.c.id == _m.c.audience_id)
    .where(_m.c.profile_id.in_(bindparam("profile_ids", expanding=True)))
    .order_by(_m.c.profile_id, _t.c.id)
)


class AudienceRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, audience: Audience) -> Audience:
        new_id = self._connection.execute(
            insert(_t).values(_to_row(audience)).returning(_t.c.id)
        ).scalar_one()
        return replace(audience, id=new_id)

    def get(self, audience_id: int) -> Audience | None:
        row = self._connection.execute(select(_t).where(_t.c.id == audience_id)).first()
        return None if row is None else _to_audience(row._mapping)

    def find_mirrored(
        self, account_id: int, sandbox: bool, integration: str | None, integration_id: str
    ) -> Audience | None:
        row = self._connection.execute(
            select(_t).where(
                _t.c.account_id == account_id,
                _t.c.sandbox == sandbox,
                _t.c.integration == (integration or ""),
                _t.c.integration_id == integration_id,
            )
        ).first()
        return None if row is None else _to_audience(row._mapping)

    def list_for_account(self, account_id: int) -> list[Audience]:
        rows = self._connection.execute(select(_t).where(_t.c.account_id == account_id).order_by(_t.c.id))
        return [_to_audience(row._mapping) for row in rows]

    def save(self, audience: Audience) -> None:
        self._connection.execute(update(_t).where(_t.c.id == audience.id).values(_to_row(audience)))

    def delete(self, audience_id: int) -> None:
        self._connection.execute(delete(_t).where(_t.c.id == audience_id))

    def add_member(self, audience_id: int, profile_id: int, *, now: datetime) -> None:
        statement = dialect_insert(self._connection)(_m).values(
            audience_id=audience_id, profile_id=profile_id, created=now
        )
        self._connection.execute(statement.on_conflict_do_nothing())

    def remove_member(self, audience_id: int, profile_id: int) -> None:
        self._connection.execute(
            delete(_m).where(_m.c.audience_id == audience_id, _m.c.profile_id == profile_id)
        )

    def remove_all_members(self, audience_id: int) -> None:
        self._connection.execute(delete(_m).where(_m.c.audience_id == audience_id))

    def member_ids(self, audience_id: int) -> list[int]:
        query = select(_m.c.profile_id).where(_m.c.audience_id == audience_id).order_by(_m.c.profile_id)
        return list(self._connection.execute(query).scalars())

    def memberships_of(self, profile_ids: Iterable[int]) -> dict[int, tuple[AudienceMembership, ...]]:
        """Each profile's audiences as {id, name}, ordered by audience id (SEMANTICS 4.11)."""
        ids = list(profile_ids)
        if not ids:
            return {}
        rows = self._connection.execute(_MEMBERSHIPS, {"profile_ids": ids})
        found: dict[int, list[AudienceMembership]] = defaultdict(list)
        for row in rows:
            found[row.profile_id].append(AudienceMembership(row.id, row.name))
        return {profile_id: tuple(found[profile_id]) for profile_id in ids}


def _to_row(audience: Audience) -> dict[str, Any]:
    return {
        "account_id": audience.account_id,
        "sandbox": audience.sandbox,
        "name": audience.name,
        "description": audience.description,
        "integration": audience.integration or "",
        "integration_id": audience.integration_id,
        "created_in_3rd_party": audience.created_in_3rd_party,
        "subscribed_applications_ids": list(audience.subscribed_applications_ids),
        "created": audience.created,
        "last_update": audience.last_update,
    }


def _to_audience(row: Any) -> Audience:
    return Audience(
        id=row["id"],
        account_id=row["account_id"],
        sandbox=row["sandbox"],
        name=row["name"],
        created=row["created"],
        last_update=row["last_update"],
        description=row["description"],
        integration=row["integration"] or None,
        integration_id=row["integration_id"],
        created_in_3rd_party=row["created_in_3rd_party"],
        subscribed_applications_ids=tuple(row["subscribed_applications_ids"]),
    )


class MembershipQueries:
    """Reading and replacing an audience's members, for the Management API."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def members(
        self, audience_id: int, *, profile_query: str | None, sort: str | None, page: PageRequest
    ) -> Found[CustomerProfile]:
        p = customer_profiles
        query = select(p).join(_m, _m.c.profile_id == p.c.id).where(_m.c.audience_id == audience_id)
        if profile_query:
            needle = profile_query.lower()
            query = query.where(func.lower(p.c.integration_id).contains(needle, autoescape=True))
        columns = {"id": p.c.id, "created": p.c.created, "integrationId": p.c.integration_id}
        query = query.order_by(*order_by(sort, columns, p.c.id))
        return fetch_page(self._connection, query, page, profile_from_row)

    def member_integration_ids(self, audience_id: int) -> Iterator[str]:
        p = customer_profiles
        query = (
            select(p.c.integration_id)
            .join(_m, _m.c.profile_id == p.c.id)
            .where(_m.c.audience_id == audience_id)
            .order_by(p.c.id)
        )
        yield from self._connection.execution_options(yield_per=1000).execute(query).scalars()

    def record_import(self, account_id: int, entity: str, amount: int, *, now: datetime) -> int:
        statement = insert(imports).values(account_id=account_id, entity=entity, amount=amount, created=now)
        return int(self._connection.execute(statement.returning(imports.c.id)).scalar_one())
