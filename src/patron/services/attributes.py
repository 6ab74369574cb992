"""Attribute definitions: listing and creating them, and checking every `attributes` object against them."""

from collections.abc import Callable
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
from patron.store import locks
from patron.store.attributes import AccountDefinitions
from patron.store.database import Transaction


@dataclass(frozen=True, slots=True)
class Schemas:
    """The attribute schemas of the entities one Integration call may carry attributes for."""

    profile: AttributeSchema
    session: AttributeSchema
    cart_item: AttributeSchema
    event: AttributeSchema


# Schemas built from one AccountDefinitions, by (Application, event type): the definitions
# object is replaced whenever they are read anew, and its schemas are forgotten with it.
_SCHEMAS: "WeakKeyDictionary[AccountDefinitions, dict[tuple[int, str | None], Schemas]]" = WeakKeyDictionary()


async def check(
    tx: Transaction,
    scope: ApplicationScope,
    checks: Callable[[Schemas], None],
    *,
    event_type: str | None = None,
) -> None:
    """Run `checks` (which raise InvalidInputError) against the definitions this Application may use.

    The definitions this process knows are checked first, with no statement: a definition never
    changes, so what they accept is right. What they refuse may have been defined since they were
    read, so a refusal is checked again against the definitions read now (SEMANTICS 16.2).
    """
    known = await tx.attributes.known(scope.account_id)
    try:
        checks(schemas_of(known, scope, event_type))
    except InvalidInputError:
        current = await tx.attributes.read(scope.account_id)
        if len(current.definitions) == len(known.definitions):
            raise
        checks(schemas_of(current, scope, event_type))


async def load_schemas(tx: Transaction, scope: ApplicationScope, *, event_type: str | None = None) -> Schemas:
    """The definitions available to the Application now, read in this transaction (for imports)."""
    return schemas_of(await tx.attributes.read(scope.account_id), scope, event_type)


def schemas_of(definitions: AccountDefinitions, scope: ApplicationScope, event_type: str | None) -> Schemas:
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


async def seed_built_in_attributes(tx: Transaction, account_id: int, *, now: datetime) -> None:
    """Give a new account the built-in catalogue (SEMANTICS 16.3)."""
    await tx.attributes.add_all(built_in_definitions(account_id, now=now))


async def list_attributes(tx: Transaction, scope: AccountScope) -> list[AttributeDefinition]:
    return await tx.attributes.list_for_account(scope.account_id)


async def create_attribute(
    tx: Transaction, scope: AccountScope, definition: AttributeDefinition
) -> AttributeDefinition:
    """Define a custom attribute; (entity, name) and (entity, title) are unique in the account."""
    if definition.entity is Entity.EVENT and not definition.event_type:
        raise InvalidInputError("An Event attribute needs an eventType", pointer="/eventType")
    if definition.type not in AttributeType:
        raise InvalidInputError(f"Unknown type {definition.type}", pointer="/type")
    await tx.lock(locks.attribute_names(scope.account_id, definition.entity.value))
    for existing in await tx.attributes.list_for_account(scope.account_id, entity=definition.entity):
        if existing.name == definition.name or existing.title == definition.title:
            clash = "name" if existing.name == definition.name else "title"
            raise ConflictError(
                f"A {definition.entity} attribute with this {clash} already exists", pointer=f"/{clash}"
            )
    return await tx.attributes.add(definition)
