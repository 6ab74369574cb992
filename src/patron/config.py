"""Settings read from the environment (prefix PATRON_), built once and passed down."""

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PATRON_", frozen=True)

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
