"""The one table from errors to HTTP statuses, and Talon.One's error body for every 4xx."""

import json
from typing import Any, Final

from patron.api import codec
from patron.api.operations import Answer
from patron.errors import (
    ConflictError,
    ErrorDetail,
    ErrorSource,
    NotFoundError,
    PatronError,
    UnauthorizedError,
)

_STATUS: Final[list[tuple[type[PatronError], int]]] = [
    (UnauthorizedError, 401),
    (NotFoundError, 404),
    (ConflictError, 409),
]


def status_of(error: PatronError) -> int:
    return next((code for error_type, code in _STATUS if isinstance(error, error_type)), 400)


def answer_for(error: PatronError) -> Answer:
    return error_answer(status_of(error), error.message, error.details)


def error_answer(status: int, message: str, details: list[ErrorDetail] | None = None) -> Answer:
    """Talon.One's error body; without `details`, one detail repeating the message."""
    shown = details if details is not None else [ErrorDetail(message, message, ErrorSource(pointer=""))]
    return Answer(status, _encoded(error_body(status, message, shown)))


def error_body(status: int, message: str, details: list[ErrorDetail]) -> dict[str, Any]:
    return {
        "message": message,
        "errors": [
            {
                "title": detail.title,
                "details": detail.details,
                "source": {k: v for k, v in _source_items(detail.source) if v is not None},
            }
            for detail in details
        ],
        "StatusCode": status,
    }


def _encoded(body: dict[str, Any]) -> bytes:
    try:
        return codec.encode(body)
    except UnicodeEncodeError:
        # A lone surrogate (a refused key echoed in a pointer) has no UTF-8 form; inside a JSON
        # string, "backslashreplace" writes it as the JSON escape it came in as ("\ud800").
        return json.dumps(body, ensure_ascii=False, default=str).encode("utf-8", errors="backslashreplace")


def _source_items(source: ErrorSource) -> list[tuple[str, str | None]]:
    return [("pointer", source.pointer), ("parameter", source.parameter), ("line", source.line)]
