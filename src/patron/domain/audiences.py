"""Audiences: named groups of customer profiles of one environment."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Audience:
    """`integration`/`integration_id` name the audience in a third-party platform, if it came from one."""

    id: int
    account_id: int
    sandbox: bool
    name: str
    created: datetime
    last_update: datetime
    description: str | None = None
    integration: str | None = None
    integration_id: str | None = None
    created_in_3rd_party: bool = False
    subscribed_applications_ids: tuple[int, ...] = ()
