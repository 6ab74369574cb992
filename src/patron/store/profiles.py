"""Customer profiles and the Applications that have seen them."""

from typing import Any

from sqlalchemy import Connection, insert, select, update

from patron.domain.profiles import CustomerProfile, ProfileAggregates
from patron.store._dialect import dialect_insert
from patron.store.tables import application_customers, customer_profiles

_t = customer_profiles


class ProfileRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, *, account_id: int, sandbox: bool, integration_id: str) -> CustomerProfile | None:
        row = self._connection.execute(
            select(_t).where(
                _t.c.account_id == account_id, _t.c.sandbox == sandbox, _t.c.integration_id == integration_id
            )
        ).first()
        return None if row is None else _to_profile(row._mapping)

    def get_by_id(self, profile_id: int) -> CustomerProfile | None:
        row = self._connection.execute(select(_t).where(_t.c.id == profile_id)).first()
        return None if row is None else _to_profile(row._mapping)

    def add(self, profile: CustomerProfile) -> CustomerProfile:
        values = _to_row(profile)
        new_id = self._connection.execute(insert(_t).values(values).returning(_t.c.id)).scalar_one()
        return _to_profile({**values, "id": new_id})

    def save(self, profile: CustomerProfile) -> None:
        self._connection.execute(update(_t).where(_t.c.id == profile.id).values(_to_row(profile)))

    def link_application(self, application_id: int, profile_id: int) -> None:
        """Record that this Application has seen the profile (idempotent)."""
        statement = dialect_insert(self._connection)(application_customers).values(
            application_id=application_id, profile_id=profile_id
        )
        self._connection.execute(statement.on_conflict_do_nothing())


def _to_row(profile: CustomerProfile) -> dict[str, Any]:
    return {
        "account_id": profile.account_id,
        "sandbox": profile.sandbox,
        "integration_id": profile.integration_id,
        "attributes": profile.attributes,
        "closed_sessions": profile.closed_sessions,
        "total_sales": profile.total_sales,
        "created": profile.created,
        "last_activity": profile.last_activity,
    }


def _to_profile(row: Any) -> CustomerProfile:
    return CustomerProfile(
        id=row["id"],
        account_id=row["account_id"],
        sandbox=row["sandbox"],
        integration_id=row["integration_id"],
        created=row["created"],
        last_activity=row["last_activity"],
        attributes=dict(row["attributes"]),
        aggregates=ProfileAggregates(row["closed_sessions"], row["total_sales"]),
    )
