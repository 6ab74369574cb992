"""Request plumbing shared by every route: exact JSON parsing, storable values, the body size limit."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from patron.api import storable
from patron.api.errors import error_body
from patron.api.responses import dumps, parse_json
from patron.errors import ErrorDetail, ErrorSource


class _ExactJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                self._json = parse_json(body)
            except (ValueError, RecursionError) as exc:
                raise RequestValidationError(
                    [{"type": "json_invalid", "loc": ("body",), "msg": f"Invalid JSON: {exc}"}]
                ) from None
            storable.check_body(self._json)
        return self._json


def _as_json(scope: Scope) -> Scope:
    """Read every body but a file upload as JSON, whatever Content-Type the client sent."""
    headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
    content_type = dict(scope["headers"]).get(b"content-type", b"")
    if content_type.startswith(b"multipart/form-data"):
        return scope
    return {**scope, "headers": [*headers, (b"content-type", b"application/json")]}


class TalonRoute(APIRoute):
    """Parses JSON bodies with Decimal numbers, so money never passes through a binary float."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            storable.check_parameters(request)
            exact = _ExactJsonRequest(_as_json(request.scope), request.receive)
            if self.body_field is not None and await exact.body():
                # Parsed here, FastAPI reuses it: a bad body is our 400 with a pointer (FastAPI would
                # hide it behind a generic parse error), and an oversized one reaches BodySizeLimit.
                await exact.json()
            return await handler(exact)

        return handle


class BodySizeLimit:
    """Refuses bodies over `max_bytes` with 413 before any of them is parsed."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self._app = app
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self._max_bytes):
            await self._refuse(send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self._max_bytes:
                raise _TooLargeError
            return message

        try:
            await self._app(scope, limited_receive, send)
        except _TooLargeError:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        message = f"The request body is larger than {self._max_bytes} bytes"
        body = dumps(error_body(413, message, [ErrorDetail("Too large", message, ErrorSource(pointer=""))]))
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _TooLargeError(Exception):
    pass
