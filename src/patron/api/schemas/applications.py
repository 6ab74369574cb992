"""Application, as the Management API shows it."""

from datetime import datetime

from pydantic import Field

from patron.api.schemas.common import ApiModel


class Application(ApiModel):
    id: int
    created: datetime
    modified: datetime
    account_id: int
    name: str
    description: str | None = None
    timezone: str
    currency: str
    sandbox: bool
    enable_flattened_cart_items: bool
    loyalty_programs: list[object] = Field(default_factory=list)
