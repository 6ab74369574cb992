"""Accounts, their Applications, and the scope a credential grants."""

from dataclasses import dataclass
from datetime import datetime
from typing import Final

DEFAULT_CURRENCY: Final = "EUR"
DEFAULT_TIMEZONE: Final = "UTC"


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    name: str
    created: datetime


@dataclass(frozen=True, slots=True)
class Application:
    id: int
    account_id: int
    name: str
    sandbox: bool
    currency: str
    timezone: str
    created: datetime
    modified: datetime
    description: str = ""
    enable_flattened_cart_items: bool = False


@dataclass(frozen=True, slots=True)
class ApplicationScope:
    """What an Integration API key acts as: one Application, so one account and one environment."""

    account_id: int
    application_id: int
    sandbox: bool


@dataclass(frozen=True, slots=True)
class AccountScope:
    """What a Management API key reaches: every Application of one account."""

    account_id: int
