"""Application, as the Management API shows it."""

from typing import Any, Self

from patron.api.schemas.common import Timestamp, Wire
from patron.domain import tenancy


class Application(Wire, kw_only=True):
    id: int
    created: Timestamp
    modified: Timestamp
    account_id: int
    name: str
    description: str | None = None
    timezone: str
    currency: str
    sandbox: bool
    enable_flattened_cart_items: bool
    loyalty_programs: list[Any]

    @classmethod
    def of(cls, application: tenancy.Application) -> Self:
        return cls(
            id=application.id,
            created=application.created,
            modified=application.modified,
            account_id=application.account_id,
            name=application.name,
            description=application.description,
            timezone=application.timezone,
            currency=application.currency,
            sandbox=application.sandbox,
            enable_flattened_cart_items=application.enable_flattened_cart_items,
            loyalty_programs=[],
        )
