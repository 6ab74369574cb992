"""HTTP in and out, straight on ASGI: what a request carries, and sending an answer.

Starlette routes (`api/app.py`), but patron's endpoints are plain ASGI callables: a request is read
from the ASGI scope as the pipeline needs it, and an `Answer` goes out as two ASGI messages. (A
Starlette Request, Response and its middleware and exception wrappers cost ~18 µs a request,
more than a profile's SELECT; BENCHMARKS.md.)
"""

from collections.abc import Awaitable, Callable
from typing import Final
from urllib.parse import parse_qsl

from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from patron.api.operations import Answer
from patron.errors import InvalidInputError

_JSON: Final = b"application/json"


class Incoming:
    """One request as the pipeline reads it."""

    __slots__ = ("_receive", "_scope", "path_params")

    def __init__(self, scope: Scope, receive: Receive) -> None:
        self._scope = scope
        self._receive = receive
        self.path_params: dict[str, str] = scope.get("path_params", {})

    @property
    def method(self) -> str:
        method: str = self._scope["method"]
        return method

    @property
    def path(self) -> str:
        path: str = self._scope["path"]
        return path

    @property
    def query_string(self) -> str:
        return bytes(self._scope["query_string"]).decode("latin-1")

    def query(self) -> dict[str, str]:
        """The query parameters (the last value of one given twice), percent-decoded as UTF-8."""
        text = self.query_string
        return dict(parse_qsl(text, keep_blank_values=True)) if text else {}

    def header(self, name: bytes) -> str | None:
        """A header's value by its lower-case name (the last one, if given twice)."""
        found = None
        for key, value in self._scope["headers"]:
            if key == name:
                found = value
        return None if found is None else bytes(found).decode("latin-1")

    async def body(self) -> bytes:
        chunks: list[bytes] = []
        more = True
        while more:
            message = await self._receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def uploaded(self, field: str) -> bytes | None:
        """The file (or text) of one field of a multipart/form-data body (Starlette parses it)."""
        try:
            async with Request(self._scope, self._receive).form() as form:
                upload = form.get(field)
                content = upload if isinstance(upload, str) or upload is None else await upload.read()
        except MultiPartException as error:
            raise InvalidInputError(
                f"The body is not multipart/form-data: {error.message}", pointer=""
            ) from None
        return content.encode() if isinstance(content, str) else content


async def respond(send: Send, answer: Answer, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    extra = headers or []
    if answer.status == 204:
        await send({"type": "http.response.start", "status": 204, "headers": extra})
        await send({"type": "http.response.body", "body": b""})
        return
    media_type = _JSON if answer.media_type == "application/json" else answer.media_type.encode()
    await send(
        {
            "type": "http.response.start",
            "status": answer.status,
            "headers": [
                (b"content-type", media_type),
                (b"content-length", str(len(answer.body)).encode()),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": answer.body})


class Endpoint:
    """An ASGI endpoint over a function of the request (Starlette leaves a non-function alone)."""

    def __init__(self, answer: Callable[[Incoming, Scope], Awaitable[Answer]], name: str) -> None:
        self._answer = answer
        self.__name__ = name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await respond(send, await self._answer(Incoming(scope, receive), scope))
