"""The one table from errors to HTTP statuses, and Talon.One's error body for every 4xx."""

import logging
from typing import Any, Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from patron.api import codec
from patron.errors import (
    ConflictError,
    ErrorDetail,
    ErrorSource,
    NotFoundError,
    PatronError,
    UnauthorizedError,
)

_log = logging.getLogger(__name__)

_STATUS: Final[list[tuple[type[PatronError], int]]] = [
    (UnauthorizedError, 401),
    (NotFoundError, 404),
    (ConflictError, 409),
]


def status_of(error: PatronError) -> int:
    return next((code for error_type, code in _STATUS if isinstance(error, error_type)), 400)


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


def error_response(status: int, message: str, details: list[ErrorDetail]) -> Response:
    return Response(
        _encoded(error_body(status, message, details)), status_code=status, media_type="application/json"
    )


def _encoded(body: dict[str, Any]) -> bytes:
    try:
        return codec.encode(body)
    except UnicodeEncodeError:
        # A lone surrogate (a refused key echoed in a pointer) has no UTF-8 form; inside a JSON
        # string, "backslashreplace" writes it as the JSON escape it came in as ("\ud800").
        import json

        return json.dumps(body, ensure_ascii=False, default=str).encode("utf-8", errors="backslashreplace")


def response_for(error: PatronError) -> Response:
    return error_response(status_of(error), error.message, error.details)


def _source_items(source: ErrorSource) -> list[tuple[str, str | None]]:
    return [("pointer", source.pointer), ("parameter", source.parameter), ("line", source.line)]


async def http_error(_request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (an unknown path: 404, another method: 405) in Talon.One's body."""
    assert isinstance(exc, HTTPException)
    message = str(exc.detail)
    response = error_response(
        exc.status_code, message, [ErrorDetail(message, message, ErrorSource(pointer=""))]
    )
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def unexpected(_request: Request, exc: Exception) -> Response:
    _log.exception("unexpected error", exc_info=exc)
    message = "Internal server error"
    return error_response(500, message, [ErrorDetail(message, message)])
