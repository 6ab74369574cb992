"""Operations, declared once: what the router serves, the pipelines run and the OpenAPI document shows.

    @integration.write(
        "PUT", "/v2/customer_sessions/{customerSessionId}", "updateCustomerSessionV2",
        params=UpdateSessionParams, body=IntegrationRequest, answers={200: IntegrationStateV2}, ...
    )
    async def update_customer_session(tx, scope, call, now) -> Answer: ...

An operation's function is its use case and its answer; everything else a request goes through
(decoding, the key, admission, the transaction, the Idempotency-Key) is the same for every
operation and lives in `api/pipeline.py`. Parameters are a msgspec Struct (`Params`): a field
whose wire name is in the path template is a path parameter, any other a query parameter.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Generic, TypeVar

import msgspec

from patron.api import codec
from patron.config import Settings
from patron.store.database import Transaction

P = TypeVar("P")
B = TypeVar("B")


class Params(msgspec.Struct, rename="camel", kw_only=True):
    """An operation's path and query parameters, converted from their text (`"true"`, `"12"`)."""


class NoParams(Params, kw_only=True):
    pass


class Key(Enum):
    """Which credential an operation takes (SEMANTICS 2.1)."""

    INTEGRATION = "ApiKey-v1 "
    MANAGEMENT = "ManagementKey-v1 "


@dataclass(frozen=True, slots=True)
class Call(Generic[P, B]):
    """One request, decoded: its parameters, its body, and the server's settings."""

    params: P
    body: B
    settings: Settings


@dataclass(frozen=True, slots=True)
class Answer:
    """What an operation answers: a status, and a body of its media type (none for 204)."""

    status: int
    body: bytes = b""
    media_type: str = "application/json"

    @classmethod
    def json(cls, value: Any, status: int = 200) -> "Answer":
        return cls(status, codec.encode(value))

    @classmethod
    def no_content(cls) -> "Answer":
        return cls(204)


# (success status) -> the Struct its JSON body is, None for no body, or (media type, schema).
Answers = Mapping[int, Any]
Run = Callable[[Transaction, Any, Call[Any, Any], datetime], Awaitable[Answer]]


def _never(_call: Call[Any, Any]) -> bool:
    return False


def _uncontended(_scope: Any, _call: Call[Any, Any]) -> str | None:
    return None


@dataclass(frozen=True, kw_only=True, eq=False)
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    tags: tuple[str, ...]
    key: Key
    run: Run
    params: type[Params] = NoParams
    body: Any = None  # the body's type (a Struct, or dict for a free-form object); None: no body
    upload: Mapping[str, Any] | None = None  # a multipart body, read by the operation itself
    answers: Answers = field(default_factory=lambda: {200: None})
    writes: bool = False
    finds: bool = False  # names something that may not exist: can answer 404
    idempotent: bool = False  # honours an Idempotency-Key header
    subject: str = "resource"  # what a 409 says is busy: "session", "profile", ...
    dry: Callable[[Call[Any, Any]], bool] = _never
    # The session or profile a write changes (its lock name), for the emulated Talon.One limit.
    contended: Callable[[Any, Call[Any, Any]], str | None] = _uncontended


class Api:
    """The operations of one API (Integration or Management), in declaration order."""

    def __init__(self, key: Key) -> None:
        self.key = key
        self.operations: list[Operation] = []

    def read(self, method: str, path: str, operation_id: str, **options: Any) -> Callable[[Run], Run]:
        return self._declare(method, path, operation_id, writes=False, **options)

    def write(self, method: str, path: str, operation_id: str, **options: Any) -> Callable[[Run], Run]:
        return self._declare(method, path, operation_id, writes=True, **options)

    def _declare(self, method: str, path: str, operation_id: str, **options: Any) -> Callable[[Run], Run]:
        def declare(run: Run) -> Run:
            options.setdefault("finds", "{" in path)
            options.setdefault("summary", (run.__doc__ or "").strip().splitlines()[0])
            options["tags"] = tuple(options.get("tags", ()))
            self.operations.append(
                Operation(
                    method=method, path=path, operation_id=operation_id, key=self.key, run=run, **options
                )
            )
            return run

        return declare
