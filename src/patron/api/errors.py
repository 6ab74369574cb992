"""The one table from errors to HTTP statuses, and Talon.One's error body for every 4xx."""

import logging
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from patron.api.responses import TalonJSONResponse
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
_INVALID_REQUEST: Final = "The submitted data was invalid"


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
    return TalonJSONResponse(error_body(status, message, details), status_code=status)


def _source_items(source: ErrorSource) -> list[tuple[str, str | None]]:
    return [("pointer", source.pointer), ("parameter", source.parameter), ("line", source.line)]


def _patron_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PatronError)
    status = next((code for error_type, code in _STATUS if isinstance(exc, error_type)), 400)
    return error_response(status, exc.message, exc.details)


def _invalid_request(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = [_validation_detail(error) for error in exc.errors()]
    return error_response(400, _INVALID_REQUEST, details or [ErrorDetail("Invalid", _INVALID_REQUEST)])


def _validation_detail(error: Any) -> ErrorDetail:
    where, *path = error["loc"] or ("body",)
    message = str(error.get("msg", "invalid value"))
    title = _TITLES.get(str(error.get("type")), "Invalid value")
    if where == "body":
        pointer = "".join(f"/{_escape(part)}" for part in path if _is_field(part))
        return ErrorDetail(title, message, ErrorSource(pointer=pointer))
    return ErrorDetail(title, message, ErrorSource(parameter=str(path[0]) if path else str(where)))


_TITLES: Final = {
    "missing": "Required",
    "json_invalid": "Invalid JSON",
    "extra_forbidden": "Unknown",
    "enum": "enum",
    "literal_error": "enum",
}


def _is_field(part: Any) -> bool:
    # pydantic adds union and validator tags ("function-after[...]") to locations: not fields.
    return isinstance(part, int) or (isinstance(part, str) and "[" not in part)


def _escape(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = str(exc.detail)
    response = error_response(
        exc.status_code, message, [ErrorDetail(message, message, ErrorSource(pointer=""))]
    )
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


def _unexpected(_request: Request, exc: Exception) -> Response:
    _log.exception("unexpected error", exc_info=exc)
    message = "Internal server error"
    return error_response(500, message, [ErrorDetail(message, message)])


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PatronError, _patron_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
