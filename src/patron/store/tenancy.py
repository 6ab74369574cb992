"""Accounts, Applications and their keys."""

from datetime import datetime

from patron.domain.tenancy import Account, Application
from patron.store.database import Row, Transaction

_APPLICATION = (
    "a.id, a.account_id, a.name, a.description, a.sandbox, a.currency, a.timezone,"
    " a.enable_flattened_cart_items, a.created, a.modified"
)


class AccountRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, account: Account) -> Account:
        new_id = await self._tx.value(
            "INSERT INTO accounts (name, created) VALUES (?, ?) RETURNING id",
            account.name,
            self._tx.time(account.created),
        )
        return Account(id=new_id, name=account.name, created=account.created)

    async def get(self, account_id: int) -> Account | None:
        row = await self._tx.one("SELECT id, name, created FROM accounts WHERE id = ?", account_id)
        return None if row is None else Account(row["id"], row["name"], self._tx.read_time(row["created"]))

    async def count(self) -> int:
        return int(await self._tx.value("SELECT count(*) FROM accounts"))

    async def ids(self) -> list[int]:
        return [row[0] for row in await self._tx.all("SELECT id FROM accounts ORDER BY id")]


class ApplicationRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, application: Application) -> Application:
        tx = self._tx
        new_id = await tx.value(
            "INSERT INTO applications (account_id, name, description, sandbox, currency, timezone,"
            " enable_flattened_cart_items, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id",
            application.account_id,
            application.name,
            application.description,
            application.sandbox,
            application.currency,
            application.timezone,
            application.enable_flattened_cart_items,
            tx.time(application.created),
            tx.time(application.modified),
        )
        return Application(
            id=new_id,
            account_id=application.account_id,
            name=application.name,
            sandbox=application.sandbox,
            currency=application.currency,
            timezone=application.timezone,
            created=application.created,
            modified=application.modified,
            description=application.description,
            enable_flattened_cart_items=application.enable_flattened_cart_items,
        )

    async def get(self, application_id: int) -> Application | None:
        row = await self._tx.one(f"SELECT {_APPLICATION} FROM applications a WHERE a.id = ?", application_id)
        return None if row is None else _to_application(self._tx, row)

    async def list_for_account(self, account_id: int) -> list[Application]:
        rows = await self._tx.all(
            f"SELECT {_APPLICATION} FROM applications a WHERE a.account_id = ? ORDER BY a.id", account_id
        )
        return [_to_application(self._tx, row) for row in rows]


class KeyRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add_integration_key(self, application_id: int, digest: str, created: datetime) -> None:
        await self._tx.run(
            "INSERT INTO integration_keys (application_id, digest, created) VALUES (?, ?, ?)",
            application_id,
            digest,
            self._tx.time(created),
        )

    async def add_management_key(self, account_id: int, digest: str, created: datetime) -> None:
        await self._tx.run(
            "INSERT INTO management_keys (account_id, digest, created) VALUES (?, ?, ?)",
            account_id,
            digest,
            self._tx.time(created),
        )

    async def application_for_key(self, digest: str) -> tuple[str, Application] | None:
        """The stored digest and the Application of the integration key with this digest."""
        row = await self._tx.one(
            f"SELECT k.digest, {_APPLICATION} FROM integration_keys k"
            " JOIN applications a ON a.id = k.application_id WHERE k.digest = ?",
            digest,
        )
        return None if row is None else (row["digest"], _to_application(self._tx, row))

    async def account_for_key(self, digest: str) -> tuple[str, int] | None:
        """The stored digest and the account id of the management key with this digest."""
        row = await self._tx.one("SELECT digest, account_id FROM management_keys WHERE digest = ?", digest)
        return None if row is None else (row["digest"], row["account_id"])


def _to_application(tx: Transaction, row: Row) -> Application:
    return Application(
        id=row["id"],
        account_id=row["account_id"],
        name=row["name"],
        description=row["description"],
        sandbox=bool(row["sandbox"]),
        currency=row["currency"],
        timezone=row["timezone"],
        enable_flattened_cart_items=bool(row["enable_flattened_cart_items"]),
        created=tx.read_time(row["created"]),
        modified=tx.read_time(row["modified"]),
    )
