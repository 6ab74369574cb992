"""Attribute definitions: listing and creating them, and the schema every `attributes` object must fit."""

from dataclasses import dataclass
from datetime import datetime
from weakref import WeakKeyDictionary

from patron.domain.attribute_definitions import (
    AttributeDefinition,
    AttributeSchema,
    AttributeType,
    Entity,
    built_in_definitions,
)
from patron.domain.tenancy import AccountScope, ApplicationScope
from patron.errors import ConflictError, InvalidInputError
from patron.store.attributes import AccountDefinitions
from patron.store.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Schemas:
    """The attribute schemas of the entities one Integration call may carry attributes for."""

    profile: AttributeSchema
    session: AttributeSchema
    cart_item: AttributeSchema
    event: AttributeSchema


# Schemas built from one AccountDefinitions, by (Application, event type): the definitions
# object is replaced whenever they change, and its schemas are forgotten with it.
_SCHEMAS: "WeakKeyDictionary[AccountDefinitions, dict[tuple[int, str | None], Schemas]]" = WeakKeyDictionary()


def load_schemas(uow: UnitOfWork, scope: ApplicationScope, *, event_type: str | None = None) -> Schemas:
    """Read inside an open unit of work: the definitions available to the calling Application."""
    definitions = uow.attributes.definitions_of(scope.account_id)
    built = _SCHEMAS.setdefault(definitions, {})
    schemas = built.get((scope.application_id, event_type))
    if schemas is None:
        schemas = built[(scope.application_id, event_type)] = _schemas(definitions, scope, event_type)
    return schemas


def _schemas(definitions: AccountDefinitions, scope: ApplicationScope, event_type: str | None) -> Schemas:
    by_entity: dict[Entity, dict[str, AttributeDefinition]] = {entity: {} for entity in Entity}
    for definition in definitions.definitions:
        if not definition.available_to(scope.application_id):
            continue
        if definition.entity is Entity.EVENT and definition.event_type != event_type:
            continue
        by_entity[definition.entity][definition.name] = definition
    return Schemas(
        profile=AttributeSchema(Entity.CUSTOMER_PROFILE, by_entity[Entity.CUSTOMER_PROFILE]),
        session=AttributeSchema(Entity.CUSTOMER_SESSION, by_entity[Entity.CUSTOMER_SESSION]),
        cart_item=AttributeSchema(Entity.CART_ITEM, by_entity[Entity.CART_ITEM]),
        event=AttributeSchema(Entity.EVENT, by_entity[Entity.EVENT]),
    )


def seed_built_in_attributes(uow: UnitOfWork, account_id: int, *, now: datetime) -> None:
    """Inside an open unit of work: give a new account the built-in catalogue (SEMANTICS 16.3)."""
    uow.attributes.add_all(built_in_definitions(account_id, now=now))


def list_attributes(uow: UnitOfWork, scope: AccountScope) -> list[AttributeDefinition]:
    with uow:
        return uow.attributes.list_for_account(scope.account_id)


def create_attribute(
    uow: UnitOfWork, scope: AccountScope, definition: AttributeDefinition
) -> AttributeDefinition:
    """Define a custom attribute; (entity, name) and (entity, title) are unique in the account."""
    if definition.entity is Entity.EVENT and not definition.event_type:
        raise InvalidInputError("An Event attribute needs an eventType", pointer="/eventType")
    if definition.type not in AttributeType:
        raise InvalidInputError(f"Unknown type {definition.type}", pointer="/type")
    with uow:
        uow.lock_attribute_names(scope.account_id, definition.entity.value)
        for existing in uow.attributes.list_for_account(scope.account_id, entity=definition.entity):
            if existing.name == definition.name or existing.title == definition.title:
                clash = "name" if existing.name == definition.name else "title"
                raise ConflictError(
                    f"A {definition.entity} attribute with this {clash} already exists", pointer=f"/{clash}"
                )
        created = uow.attributes.add(definition)
        uow.commit()
    return created
