"""Settings read from the environment (prefix PATRON_), built once and passed down.

`Settings()` takes each field from the variable PATRON_<FIELD> (any case) when it is set, and
from its default otherwise; a keyword argument wins over the environment. Every value is checked
and converted from its text as it is read (`PATRON_POOL_SIZE=20`, `..._LIMIT=true`); a bad one
raises `ConfigError`, naming the variable and what it accepts.
"""

import os
from dataclasses import dataclass, field, fields
from typing import Annotated, Any, Final, Literal

import msgspec

ENV_PREFIX: Final = "PATRON_"


class ConfigError(ValueError):
    """A setting with a value it cannot take."""


def _environment(name: str, default: Any) -> Any:
    wanted = (ENV_PREFIX + name).lower()
    for key, value in os.environ.items():
        if key.lower() == wanted:
            return value
    return default


def _from_env(name: str, default: Any) -> Any:
    return field(default_factory=lambda: _environment(name, default))


# What each field accepts, as msgspec checks it (and converts it from text).
_RULES: Final[dict[str, Any]] = {
    "database_url": str,
    "lock_timeout_seconds": Annotated[float, msgspec.Meta(gt=0, le=300)],
    "emulate_talon_concurrency_limit": bool,
    "sqlite_synchronous": Literal["NORMAL", "FULL"],
    "max_body_bytes": Annotated[int, msgspec.Meta(ge=1024)],
    "pool_size": Annotated[int, msgspec.Meta(ge=1, le=200)],
    "additional_cost_names": frozenset[str],
}
_ACCEPTS: Final = {
    "database_url": "sqlite:///PATH or postgresql://USER@HOST:PORT/DB",
    "lock_timeout_seconds": "a number of seconds above 0, at most 300",
    "emulate_talon_concurrency_limit": "true or false",
    "sqlite_synchronous": "NORMAL or FULL",
    "max_body_bytes": "a whole number of bytes, at least 1024",
    "pool_size": "a whole number from 1 to 200",
    "additional_cost_names": "names separated by commas",
}


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = _from_env("database_url", "sqlite:///patron.db")
    # How long a write waits for its turn on a busy profile or session before answering 409.
    lock_timeout_seconds: float = _from_env("lock_timeout_seconds", 5.0)
    # Opt-in: behave like Talon.One under parallel writes to one session or profile: at most
    # 5 at once (3 in flight, 2 queued); the next gets 409 at once (SEMANTICS 2.5).
    emulate_talon_concurrency_limit: bool = _from_env("emulate_talon_concurrency_limit", False)
    # SQLite only: NORMAL survives a process crash; FULL also survives a power loss.
    sqlite_synchronous: Literal["NORMAL", "FULL"] = _from_env("sqlite_synchronous", "NORMAL")
    # Requests bodies above this size are refused with 413 before they are parsed.
    max_body_bytes: int = _from_env("max_body_bytes", 5 * 1024 * 1024)
    # PostgreSQL: connections kept per server process (twice as many when busy); SQLite: idle ones.
    pool_size: int = _from_env("pool_size", 20)
    # The additional cost names sessions may use, comma-separated (Talon.One has them defined in
    # the account); empty: any name (SEMANTICS 6.1).
    additional_cost_names: frozenset[str] = _from_env("additional_cost_names", frozenset())

    def __post_init__(self) -> None:
        for setting in fields(self):
            value = getattr(self, setting.name)
            if setting.name == "additional_cost_names" and isinstance(value, str):
                value = [name.strip() for name in value.split(",") if name.strip()]
            try:
                checked = msgspec.convert(value, _RULES[setting.name], strict=False)
            except msgspec.ValidationError:
                variable = ENV_PREFIX + setting.name.upper()
                raise ConfigError(
                    f"{variable} ({setting.name}) cannot be {value!r}: it takes {_ACCEPTS[setting.name]}"
                ) from None
            object.__setattr__(self, setting.name, checked)
