"""Attribute definitions of an account, built-in and custom."""

from dataclasses import dataclass, replace
from typing import Any

from patron.domain.attribute_definitions import AttributeDefinition, AttributeType, Entity
from patron.store.database import Row, Transaction

_COLUMNS = (
    "id, account_id, entity, event_type, name, title, type, description, suggestions, has_allowed_list,"
    " restricted_by_suggestions, editable, subscribed_applications_ids, built_in, created"
)
_INSERT = (
    "INSERT INTO attribute_definitions (account_id, entity, event_type, name, title, type, description,"
    " suggestions, has_allowed_list, restricted_by_suggestions, editable, subscribed_applications_ids,"
    " built_in, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True, eq=False)
class AccountDefinitions:
    """An account's definitions in id order, as read at one moment: the same object until re-read."""

    definitions: tuple[AttributeDefinition, ...]


class AttributeRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, definition: AttributeDefinition) -> AttributeDefinition:
        new_id = await self._tx.value(f"{_INSERT} RETURNING id", *_values(self._tx, definition))
        return replace(definition, id=new_id)

    async def add_all(self, definitions: list[AttributeDefinition]) -> None:
        await self._tx.run_many(_INSERT, [_values(self._tx, definition) for definition in definitions])

    async def list_for_account(
        self, account_id: int, *, entity: Entity | None = None
    ) -> list[AttributeDefinition]:
        definitions = (await self.read(account_id)).definitions
        return [definition for definition in definitions if entity is None or definition.entity is entity]

    async def known(self, account_id: int) -> AccountDefinitions:
        """The definitions this process read last, or the database's when it has read none.

        Definitions are never changed and only ever added, so those read earlier are still all
        true; only one added since is missing from them, which is why a failed check re-reads.
        """
        return self._tx.known.definitions.get(account_id) or await self.read(account_id)

    async def read(self, account_id: int) -> AccountDefinitions:
        """The account's definitions as this transaction sees them (and remembered as the newest)."""
        rows = await self._tx.all(
            f"SELECT {_COLUMNS} FROM attribute_definitions WHERE account_id = ? ORDER BY id", account_id
        )
        read = AccountDefinitions(tuple(_to_definition(self._tx, row) for row in rows))
        known = self._tx.known.definitions.get(account_id)
        if known is None or len(known.definitions) < len(read.definitions):
            self._tx.known.definitions[account_id] = read
        return read


def _values(tx: Transaction, definition: AttributeDefinition) -> tuple[Any, ...]:
    return (
        definition.account_id,
        definition.entity.value,
        definition.event_type,
        definition.name,
        definition.title,
        definition.type.value,
        definition.description,
        tx.json(list(definition.suggestions)),
        definition.has_allowed_list,
        definition.restricted_by_suggestions,
        definition.editable,
        tx.json(list(definition.subscribed_applications_ids)),
        definition.built_in,
        tx.time(definition.created),
    )


def _to_definition(tx: Transaction, row: Row) -> AttributeDefinition:
    return AttributeDefinition(
        id=row["id"],
        account_id=row["account_id"],
        entity=Entity(row["entity"]),
        event_type=row["event_type"],
        name=row["name"],
        title=row["title"],
        type=AttributeType(row["type"]),
        description=row["description"],
        suggestions=tuple(tx.read_json(row["suggestions"])),
        has_allowed_list=bool(row["has_allowed_list"]),
        restricted_by_suggestions=bool(row["restricted_by_suggestions"]),
        editable=bool(row["editable"]),
        subscribed_applications_ids=tuple(tx.read_json(row["subscribed_applications_ids"])),
        built_in=bool(row["built_in"]),
        created=tx.read_time(row["created"]),
    )
