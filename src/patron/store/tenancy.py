"""Accounts, Applications and their keys."""

from typing import Any

from sqlalchemy import Connection, insert, select

from patron.domain.tenancy import Account, Application
from patron.store.tables import accounts, applications, integration_keys, management_keys


class AccountRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, account: Account) -> Account:
        values = {"name": account.name, "created": account.created}
        new_id = self._connection.execute(
            insert(accounts).values(values).returning(accounts.c.id)
        ).scalar_one()
        return Account(id=new_id, name=account.name, created=account.created)

    def get(self, account_id: int) -> Account | None:
        row = self._connection.execute(select(accounts).where(accounts.c.id == account_id)).first()
        return None if row is None else Account(id=row.id, name=row.name, created=row.created)

    def count(self) -> int:
        return len(self._connection.execute(select(accounts.c.id).limit(1)).all())


class ApplicationRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, application: Application) -> Application:
        values = _to_row(application)
        del values["id"]
        new_id = self._connection.execute(
            insert(applications).values(values).returning(applications.c.id)
        ).scalar_one()
        return _to_application({**values, "id": new_id})

    def get(self, application_id: int) -> Application | None:
        row = self._connection.execute(
            select(applications).where(applications.c.id == application_id)
        ).first()
        return None if row is None else _to_application(row._mapping)

    def list_for_account(self, account_id: int) -> list[Application]:
        rows = self._connection.execute(
            select(applications).where(applications.c.account_id == account_id).order_by(applications.c.id)
        )
        return [_to_application(row._mapping) for row in rows]


class KeyRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add_integration_key(self, application_id: int, digest: str, created: Any) -> None:
        self._connection.execute(
            insert(integration_keys).values(application_id=application_id, digest=digest, created=created)
        )

    def add_management_key(self, account_id: int, digest: str, created: Any) -> None:
        self._connection.execute(
            insert(management_keys).values(account_id=account_id, digest=digest, created=created)
        )

    def application_for_key(self, digest: str) -> tuple[str, Application] | None:
        """The stored digest and the Application of the integration key with this digest."""
        row = self._connection.execute(
            select(integration_keys.c.digest, applications)
            .join(applications, applications.c.id == integration_keys.c.application_id)
            .where(integration_keys.c.digest == digest)
        ).first()
        return None if row is None else (row.digest, _to_application(row._mapping))

    def account_for_key(self, digest: str) -> tuple[str, int] | None:
        """The stored digest and the account id of the management key with this digest."""
        row = self._connection.execute(
            select(management_keys.c.digest, management_keys.c.account_id).where(
                management_keys.c.digest == digest
            )
        ).first()
        return None if row is None else (row.digest, row.account_id)


def _to_row(application: Application) -> dict[str, Any]:
    return {
        "id": application.id,
        "account_id": application.account_id,
        "name": application.name,
        "description": application.description,
        "sandbox": application.sandbox,
        "currency": application.currency,
        "timezone": application.timezone,
        "enable_flattened_cart_items": application.enable_flattened_cart_items,
        "created": application.created,
        "modified": application.modified,
    }


def _to_application(row: Any) -> Application:
    return Application(
        id=row["id"],
        account_id=row["account_id"],
        name=row["name"],
        description=row["description"],
        sandbox=row["sandbox"],
        currency=row["currency"],
        timezone=row["timezone"],
        enable_flattened_cart_items=row["enable_flattened_cart_items"],
        created=row["created"],
        modified=row["modified"],
    )
