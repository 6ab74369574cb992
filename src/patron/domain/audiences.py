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


def new_audience(
    *,
    account_id: int,
    sandbox: bool,
    name: str,
    now: datetime,
    description: str | None = None,
    integration: str | None = None,
    integration_id: str | None = None,
    created_in_3rd_party: bool | None = None,
    subscribed_applications_ids: tuple[int, ...] = (),
) -> Audience:
    """An audience as created (SEMANTICS 14.2): it counts as mirrored from a partner platform
    when one is named, unless the caller says otherwise; lastUpdate starts at creation."""
    return Audience(
        id=0,
        account_id=account_id,
        sandbox=sandbox,
        name=name,
        created=now,
        last_update=now,
        description=description,
        integration=integration,
        integration_id=integration_id,
        created_in_3rd_party=integration is not None
        if created_in_3rd_party is None
        else created_in_3rd_party,
        subscribed_applications_ids=subscribed_applications_ids,
    )
