"""Customer profiles and the Applications that have seen them."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, bindparam, insert, select, update

from patron.domain.profiles import CustomerProfile, ProfileAggregates
from patron.store._dialect import dialect_insert, json_contains
from patron.store.paging import Found, PageRequest, fetch_page, page_of
from patron.store.tables import application_customers, customer_profiles

_t, _seen = customer_profiles, application_customers

# The statements of the write path, built once: building one costs more than running it.
_GET = select(_t).where(
    _t.c.account_id == bindparam("account_id"),
    _t.c.sandbox == bindparam("sandbox"),
    _t.c.integration_id == bindparam("integration_id"),
)
_ADD = insert(_t).returning(_t.c.id)  # the columns come from the parameters
_SAVE = update(_t).where(_t.c.id == bindparam("row_id"))


@dataclass(frozen=True, slots=True)
class ProfileFilter:
    """Which profiles a Management API list shows; every given criterion must hold."""

    sandbox: bool | None = None
    integration_ids: tuple[str, ...] | None = None
    ids: tuple[int, ...] | None = None
    # Each present on the profile with an exactly equal value; other attributes do not matter.
    attributes: Mapping[str, Any] | None = None


class ProfileRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, *, account_id: int, sandbox: bool, integration_id: str) -> CustomerProfile | None:
        parameters = {"account_id": account_id, "sandbox": sandbox, "integration_id": integration_id}
        row = self._connection.execute(_GET, parameters).first()
        return None if row is None else _to_profile(row._mapping)

    def get_by_id(self, profile_id: int) -> CustomerProfile | None:
        row = self._connection.execute(select(_t).where(_t.c.id == profile_id)).first()
        return None if row is None else _to_profile(row._mapping)

    def find(
        self, account_id: int, wanted: ProfileFilter, page: PageRequest, *, application_id: int | None = None
    ) -> Found[CustomerProfile]:
        """One page of the account's matching profiles, in id order.

        With `application_id`, only the profiles that Application has seen (SEMANTICS 1.5).
        """
        query = select(_t).where(_t.c.account_id == account_id).order_by(_t.c.id)
        if application_id is not None:
            query = query.join(_seen, _seen.c.profile_id == _t.c.id).where(
                _seen.c.application_id == application_id
            )
        query = _matching(query, wanted)
        if not wanted.attributes:
            return fetch_page(self._connection, query, page, _to_profile)
        return page_of(self._with_attributes(query, wanted.attributes), page)

    def _with_attributes(self, query: Select[Any], wanted: Mapping[str, Any]) -> Iterator[CustomerProfile]:
        query = query.where(json_contains(self._connection, _t.c.attributes, dict(wanted)))
        for row in self._connection.execute(query.execution_options(yield_per=500)):
            profile = _to_profile(row._mapping)
            if all(
                name in profile.attributes and _same(profile.attributes[name], value)
                for name, value in wanted.items()
            ):
                yield profile

    def add(self, profile: CustomerProfile) -> CustomerProfile:
        values = _to_row(profile)
        new_id = self._connection.execute(_ADD, values).scalar_one()
        return _to_profile({**values, "id": new_id})

    def save(self, profile: CustomerProfile) -> None:
        self._connection.execute(_SAVE, {"row_id": profile.id, **_to_row(profile)})

    def link_application(self, application_id: int, profile_id: int) -> None:
        """Record that this Application has seen the profile (idempotent)."""
        statement = _LINK.get(self._connection.dialect.name)
        if statement is None:
            statement = _LINK[self._connection.dialect.name] = dialect_insert(self._connection)(
                application_customers
            ).on_conflict_do_nothing()
        self._connection.execute(statement, {"application_id": application_id, "profile_id": profile_id})


_LINK: dict[str, Any] = {}  # by dialect name: INSERT ... ON CONFLICT DO NOTHING


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


def _matching(query: Select[Any], wanted: ProfileFilter) -> Select[Any]:
    if wanted.sandbox is not None:
        query = query.where(_t.c.sandbox == wanted.sandbox)
    if wanted.integration_ids is not None:
        query = query.where(_t.c.integration_id.in_(wanted.integration_ids))
    if wanted.ids is not None:
        query = query.where(_t.c.id.in_(wanted.ids))
    return query


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


def profile_row(profile: CustomerProfile) -> dict[str, Any]:
    """The `customer_profiles` row of a profile (without its id), for statements of other store modules."""
    return _to_row(profile)


def profile_from_row(row: Any) -> CustomerProfile:
    """A profile from a `customer_profiles` row, for queries of other store modules."""
    return _to_profile(row)
