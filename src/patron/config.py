"""Settings read from the environment (prefix PATRON_), built once and passed down.

`Settings()` takes each field from the variable PATRON_<FIELD> (any case) when it is set, and
from its default otherwise; a keyword argument wins over the environment. Values are validated
as pydantic validates strings (`PATRON_POOL_SIZE=20`, `PATRON_EMULATE_TALON_CONCURRENCY_LIMIT=true`),
and a bad one is a `pydantic.ValidationError` naming the field. (This is what pydantic-settings
did for these scalar fields; reading them here saves its import, ~25 ms of every start.)
"""

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ENV_PREFIX = "PATRON_"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    database_url: str = "sqlite:///patron.db"
    # How long a write waits for its turn on a busy profile or session before answering 409.
    lock_timeout_seconds: float = Field(default=5.0, gt=0, le=300)
    # Opt-in: behave like Talon.One under parallel writes to one session or profile: at most
    # 5 at once (3 in flight, 2 queued); the next gets 409 at once (SEMANTICS 2.5).
    emulate_talon_concurrency_limit: bool = False
    # SQLite only: NORMAL survives a process crash; FULL also survives a power loss.
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "NORMAL"
    # Requests bodies above this size are refused with 413 before they are parsed.
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    pool_size: int = Field(default=10, ge=1, le=200)
    # The additional cost names sessions may use, comma-separated (Talon.One has them defined in
    # the account); empty: any name (SEMANTICS 6.1).
    additional_cost_names: frozenset[str] = frozenset()

    @field_validator("additional_cost_names", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return frozenset(name.strip() for name in value.split(",") if name.strip())
        return value

    @model_validator(mode="before")
    @classmethod
    def _from_environment(cls, given: Any) -> Any:
        if not isinstance(given, dict):
            return given
        prefix = ENV_PREFIX.lower()
        environment = {
            name: value
            for key, value in os.environ.items()
            if (lowered := key.lower()).startswith(prefix)
            and (name := lowered.removeprefix(prefix)) in cls.model_fields
        }
        return {**environment, **given}
