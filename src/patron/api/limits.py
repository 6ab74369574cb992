"""The request body size limit: bodies over PATRON_MAX_BODY_BYTES get 413 before any of them is parsed."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from patron.api.errors import error_answer
from patron.api.http import respond
from patron.errors import ErrorDetail, ErrorSource


class BodySizeLimit:
    """Refuses a body whose declared or streamed size passes `max_bytes`, with Talon.One's 413 body."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self._app = app
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        for name, declared in scope["headers"]:
            if name == b"content-length" and (not declared.isdigit() or int(declared) > self._max_bytes):
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
        details = [ErrorDetail("Too large", message, ErrorSource(pointer=""))]
        await respond(send, error_answer(413, message, details))


class _TooLargeError(Exception):
    pass
