"""Attribute definitions of an account, built-in and custom."""

from dataclasses import dataclass, replace
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, bindparam, func, insert, select

from patron.domain.attribute_definitions import AttributeDefinition, AttributeType, Entity
from patron.store.tables import attribute_definitions

_t = attribute_definitions

# A definition row never changes once written (none is updated; one is deleted only with its
# account, and ids are never reused), so what a transaction sees of an account's definitions
# only grows, and their count and largest id name it exactly. Each read asks for those two
# numbers and reuses the definitions read before with the same two, in this process: what it
# returns is exactly what the database holds for that transaction, in any process, and only
# the reading and decoding of ~50 rows is saved.
_VERSION = select(func.count(), func.max(_t.c.id)).where(_t.c.account_id == bindparam("account_id"))


@dataclass(frozen=True, eq=False)
class AccountDefinitions:
    """An account's definitions in id order: the same object for as long as they stay the same."""

    definitions: tuple[AttributeDefinition, ...]


_BUILT: "WeakKeyDictionary[Engine, dict[int, tuple[tuple[int, int | None], AccountDefinitions]]]" = (
    WeakKeyDictionary()
)


class AttributeRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, definition: AttributeDefinition) -> AttributeDefinition:
        new_id = self._connection.execute(
            insert(_t).values(definition_row(definition)).returning(_t.c.id)
        ).scalar_one()
        return replace(definition, id=new_id)

    def add_all(self, definitions: list[AttributeDefinition]) -> None:
        if definitions:
            self._connection.execute(insert(_t), [definition_row(definition) for definition in definitions])

    def list_for_account(self, account_id: int, *, entity: Entity | None = None) -> list[AttributeDefinition]:
        definitions = self.definitions_of(account_id).definitions
        return [definition for definition in definitions if entity is None or definition.entity is entity]

    def definitions_of(self, account_id: int) -> AccountDefinitions:
        count, last_id = self._connection.execute(_VERSION, {"account_id": account_id}).one()
        built = _BUILT.setdefault(self._connection.engine, {})
        known = built.get(account_id)
        if known is not None and known[0] == (count, last_id):
            return known[1]
        rows = self._connection.execute(select(_t).where(_t.c.account_id == account_id).order_by(_t.c.id))
        definitions = tuple(_to_definition(row._mapping) for row in rows)
        # Named by what was read (on PostgreSQL a later statement may see newer rows).
        version = (len(definitions), definitions[-1].id if definitions else None)
        built[account_id] = (version, AccountDefinitions(definitions))
        return built[account_id][1]


def definition_row(definition: AttributeDefinition) -> dict[str, Any]:
    return {
        "account_id": definition.account_id,
        "entity": definition.entity.value,
        "event_type": definition.event_type,
        "name": definition.name,
        "title": definition.title,
        "type": definition.type.value,
        "description": definition.description,
        "suggestions": list(definition.suggestions),
        "has_allowed_list": definition.has_allowed_list,
        "restricted_by_suggestions": definition.restricted_by_suggestions,
        "editable": definition.editable,
        "subscribed_applications_ids": list(definition.subscribed_applications_ids),
        "built_in": definition.built_in,
        "created": definition.created,
    }


def _to_definition(row: Any) -> AttributeDefinition:
    return AttributeDefinition(
        id=row["id"],
        account_id=row["account_id"],
        entity=Entity(row["entity"]),
        event_type=row["event_type"],
        name=row["name"],
        title=row["title"],
        type=AttributeType(row["type"]),
        description=row["description"],
        suggestions=tuple(row["suggestions"]),
        has_allowed_list=row["has_allowed_list"],
        restricted_by_suggestions=row["restricted_by_suggestions"],
        editable=row["editable"],
        subscribed_applications_ids=tuple(row["subscribed_applications_ids"]),
        built_in=row["built_in"],
        created=row["created"],
    )
