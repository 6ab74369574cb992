"""Attribute definitions of an account, built-in and custom."""

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, insert, select

from patron.domain.attribute_definitions import AttributeDefinition, AttributeType, Entity
from patron.store.tables import attribute_definitions

_t = attribute_definitions


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
        query = select(_t).where(_t.c.account_id == account_id).order_by(_t.c.id)
        if entity is not None:
            query = query.where(_t.c.entity == entity.value)
        return [_to_definition(row._mapping) for row in self._connection.execute(query)]


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
