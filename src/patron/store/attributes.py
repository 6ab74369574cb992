"""Attribute definitions of an account, built-in and custom."""

from dataclasses import replace
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, insert, select

from patron.domain.attribute_definitions import AttributeDefinition, AttributeType, Entity
from patron.store.tables import attribute_definitions

_t = attribute_definitions

# A definition row never changes once written (none is updated; one is deleted only with its
# account, and ids are never reused), so the ids of an account's definitions name the whole
# list. Each read fetches those ids in its own transaction and reuses the definitions built
# from the same ids before, in this process: what it returns is exactly what the database
# holds for that transaction, in any process, and only the row decoding is saved.
_BUILT: "WeakKeyDictionary[Engine, dict[int, tuple[tuple[int, ...], list[AttributeDefinition]]]]" = (
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
        definitions = self._all_of_account(account_id)
        if entity is None:
            return definitions
        return [definition for definition in definitions if definition.entity is entity]

    def _all_of_account(self, account_id: int) -> list[AttributeDefinition]:
        ids = tuple(
            self._connection.execute(
                select(_t.c.id).where(_t.c.account_id == account_id).order_by(_t.c.id)
            ).scalars()
        )
        built = _BUILT.setdefault(self._connection.engine, {})
        known = built.get(account_id)
        if known is not None and known[0] == ids:
            return list(known[1])
        query = select(_t).where(_t.c.id.in_(ids)).order_by(_t.c.id) if ids else None
        definitions = (
            [] if query is None else [_to_definition(r._mapping) for r in self._connection.execute(query)]
        )
        built[account_id] = (ids, definitions)
        return list(definitions)


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
