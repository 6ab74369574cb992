"""Audiences and who belongs to them."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from patron.domain.audiences import Audience
from patron.domain.profiles import AudienceMembership
from patron.store._dialect import dialect_insert
from patron.store.tables import audience_memberships, audiences

_t, _m = audiences, audience_memberships


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
        rows = self._connection.execute(
            select(_m.c.profile_id, _t.c.id, _t.c.name)
            .join(_t, _t.c.id == _m.c.audience_id)
            .where(_m.c.profile_id.in_(ids))
            .order_by(_m.c.profile_id, _t.c.id)
        )
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
