"""Every request's whole way, top to bottom: decode, authorise, admit, one transaction, encode.

A write:

1. authorise: the key's scope (an Application, or an account), remembered once found; a
   missing or unknown key is a 401 whatever else the request holds;
2. decode: path and query parameters into the operation's `Params`, the JSON body into its
   Struct (exact decimals), the Idempotency-Key header; any fault is a 400 naming it;
3. admit: with PATRON_EMULATE_TALON_CONCURRENCY_LIMIT, a ticket of the session or profile
   the write changes, or Talon.One's 409 at once;
4. one transaction: the first answer stored for its Idempotency-Key, if any, is the answer;
   otherwise the operation runs (the use case, then its answer is encoded) and, with a key, the
   answer is stored in the same transaction, so a crash keeps both or neither;
5. the answer goes out after the commit.

A dry request is the same write in a read-only transaction: no admission, no Idempotency-Key,
no locks, and use cases that find their transaction read-only store nothing (`services/`). A
read is steps 1, 2 and a read-only transaction. Errors (`patron.errors`) become Talon.One's
error body on the way out (`api/errors.py`); nothing of a failed request is stored.
"""

from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import msgspec

from patron.api import codec, errors
from patron.api.http import Incoming
from patron.api.operations import Answer, Call, Key, Operation
from patron.config import Settings
from patron.errors import InvalidInputError, PatronError, UnauthorizedError
from patron.services import admission, idempotency, tenancy
from patron.store.database import Database
from patron.store.idempotency import StoredResponse

IDEMPOTENCY_KEY: Final = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY: Final = 255
UPLOAD_FIELD: Final = "upFile"


async def serve(operation: Operation, request: Incoming, database: Database) -> Answer:
    """The answer to one request for `operation`."""
    settings: Settings = database.settings
    now = datetime.now(UTC)
    try:
        # Credentials first: a request without a valid key learns nothing of what else is wrong.
        scope = await _authorize(database, operation.key, request)
        call, body = await _decode(operation, request, settings)
        if not operation.writes:
            async with database.transaction(write=False) as tx:
                return await operation.run(tx, scope, call, now)
        dry = operation.dry(call)
        # Checked on every request that may carry one (a dry one just does not use it).
        key = _idempotency_key(operation, request)
        if dry:
            key = None
        admitted = _admitted(database, operation, scope, call, dry=dry, now=now)
        async with admitted, database.transaction(write=not dry, subject=operation.subject) as tx:
            fingerprint = "" if key is None else _fingerprint(request, call, body)
            stored = None
            if key is not None:
                stored = await idempotency.first_answer(tx, scope, key, fingerprint, now=now)
            if stored is not None:
                answer = Answer(stored.status, stored.body)
            else:
                answer = await operation.run(tx, scope, call, now)
                if key is not None:
                    kept = StoredResponse(fingerprint, answer.status, answer.body)
                    await idempotency.remember(tx, scope, key, kept, now=now)
        return answer
    except PatronError as error:
        return errors.answer_for(error)


async def _decode(operation: Operation, request: Incoming, settings: Settings) -> tuple[Call[Any, Any], Any]:
    params = _parameters(operation, request)
    body: Any = None
    if operation.upload is not None:
        body = await request.uploaded(UPLOAD_FIELD)
    elif operation.body is not None:
        raw = await request.body()
        if not raw:
            raise InvalidInputError("A JSON body is required", pointer="")
        body = codec.decode(raw, operation.body)
    return Call(params, body, settings), body


def _parameters(operation: Operation, request: Incoming) -> Any:
    given = request.query()
    given.update(request.path_params)
    for name, value in given.items():
        codec.check_text(value, parameter=name)
    try:
        params = msgspec.convert(given, operation.params, strict=False)
    except msgspec.ValidationError as error:
        message, _, where = str(error).rpartition(" - at `$.")
        name = where.rstrip("`")
        if not message:
            message, name = str(error), ""
        if message.startswith("Object missing required field"):
            name = message.rsplit("`", 2)[1]
        raise InvalidInputError(message, parameter=name) from None
    # Lax conversion reads the text "null" as an absent optional value; a parameter is never null.
    for field in msgspec.structs.fields(operation.params) if "null" in given.values() else ():
        if given.get(field.encode_name) == "null" and getattr(params, field.name) is None:
            raise InvalidInputError(f"`null` is not a valid {field.encode_name}", parameter=field.encode_name)
    return params


def _idempotency_key(operation: Operation, request: Incoming) -> str | None:
    key = request.header(b"idempotency-key") if operation.idempotent else None
    if key is not None:
        codec.check_text(key, parameter=IDEMPOTENCY_KEY)
        if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY:
            raise InvalidInputError(
                f"An Idempotency-Key has 1 to {MAX_IDEMPOTENCY_KEY} characters", parameter=IDEMPOTENCY_KEY
            )
    return key


async def _authorize(database: Database, key: Key, request: Incoming) -> Any:
    authorization = request.header(b"authorization")
    prefix = key.value
    # Prefixes match case-sensitively, separated from the secret by one space (SEMANTICS 2.1).
    if not authorization or not authorization.startswith(prefix) or len(authorization) == len(prefix):
        raise UnauthorizedError(
            f"Missing or malformed credentials: expected 'Authorization: {prefix}<key>'",
            parameter="Authorization",
        )
    secret = authorization[len(prefix) :]
    if key is Key.INTEGRATION:
        return await tenancy.authenticate_integration_key(database, secret)
    return await tenancy.authenticate_management_key(database, secret)


def _admitted(
    database: Database, operation: Operation, scope: Any, call: Call[Any, Any], *, dry: bool, now: datetime
) -> AbstractAsyncContextManager[None]:
    settings = database.settings
    resource = (
        None if dry or not settings.emulate_talon_concurrency_limit else operation.contended(scope, call)
    )
    if resource is None:
        return nullcontext()
    lifetime = timedelta(seconds=max(60.0, 4 * settings.lock_timeout_seconds))
    return admission.admitted(database, resource, operation.subject, now=now, ticket_lifetime=lifetime)


def _fingerprint(request: Incoming, call: Call[Any, Any], body: Any) -> str:
    """Two requests are the same when their method, path, query and body (decoded) are."""
    payload = b"" if body is None else codec.encode(body)
    return idempotency.fingerprint(request.method, request.path, request.query_string, payload)
