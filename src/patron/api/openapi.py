"""The OpenAPI document, made to say what the server really answers.

FastAPI documents a 422 that patron never sends (`api/errors.py` answers 400) and none of the
error statuses. This module rewrites its document once: every operation lists the statuses it
can answer with Talon.One's error body, and parameters that cannot be null are not documented
as nullable.
"""

from typing import Any, Final

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from patron.api.schemas.common import ErrorResponseWithStatus

_ERROR_SCHEMA: Final = {"$ref": "#/components/schemas/ErrorResponseWithStatus"}
_DESCRIPTIONS: Final = {
    "400": "Invalid request: a parameter, a body or an uploaded file breaks a rule; besides the "
    "schemas, no string may hold NUL or an unpaired surrogate, and no number more than 1000 digits "
    "either side of the decimal point",
    "401": "Missing, malformed or unknown key, or a key of the other API",
    "404": "No such resource for this key (unknown, or another tenant's)",
    "409": "Conflict: the profile or session stayed busy past the lock timeout, an Idempotency-Key "
    "was reused with another request, or the request collides with stored data",
    "413": "The request body is larger than PATRON_MAX_BODY_BYTES",
}
# Operations that create what their path names never answer 404 ...
_CREATE_AT_PATH: Final = frozenset({"updateCustomerSessionV2", "updateCustomerProfileV2"})
# ... and these name audiences in the body.
_NOT_FOUND_IN_BODY: Final = frozenset({"updateCustomerProfileAudiences"})
# Writes without an Idempotency-Key that still queue for a lock or can collide.
_OTHER_WRITES: Final = frozenset({"deleteCustomerData", "createAttribute", "importAudiencesMemberships"})


def install_openapi(app: FastAPI) -> None:
    """Serve the rewritten document at /openapi.json (and to /docs)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            app.openapi_schema = truthful(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def truthful(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.update(_error_schemas())
    for path, operation in _operations(document):
        operation["responses"].pop("422", None)
        for status in _error_statuses(path, operation):
            operation["responses"][status] = {
                "description": _DESCRIPTIONS[status],
                "content": {"application/json": {"schema": _ERROR_SCHEMA}},
            }
        for parameter in operation.get("parameters", []):
            parameter["schema"] = _not_null(parameter["schema"])
    return document


def _error_schemas() -> dict[str, Any]:
    schema = ErrorResponseWithStatus.model_json_schema(
        ref_template="#/components/schemas/{model}", mode="serialization"
    )
    definitions: dict[str, Any] = schema.pop("$defs")
    return {**definitions, "ErrorResponseWithStatus": schema}


def _operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(path, operation) for path, item in document["paths"].items() for operation in item.values()]


def _error_statuses(path: str, operation: dict[str, Any]) -> list[str]:
    operation_id = operation.get("operationId", "")
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    names_a_resource = "{" in path and operation_id not in _CREATE_AT_PATH
    is_write = operation_id in _OTHER_WRITES or any(p["name"] == "Idempotency-Key" for p in parameters)
    applies = {
        "400": bool(parameters) or has_body,
        "401": "security" in operation,
        "404": names_a_resource or operation_id in _NOT_FOUND_IN_BODY,
        "409": is_write,
        "413": has_body,
    }
    return [status for status, applying in applies.items() if applying]


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query, path or header parameter is absent or a string: never JSON null."""
    alternatives = [s for s in schema.get("anyOf", []) if s != {"type": "null"}]
    if len(alternatives) != 1:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**alternatives[0], **rest}
