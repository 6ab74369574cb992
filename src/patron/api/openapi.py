"""The OpenAPI document, made from the operations' declarations, so it says what the server answers.

Schemas come from the wire Structs (msgspec's JSON Schema, named after Talon.One's schemas);
every operation lists the statuses it can answer with Talon.One's error body; parameters are
never documented as nullable, and money is a JSON number. `/docs` serves Swagger UI over it.
"""

import re
from functools import cache
from typing import Any, Final

import msgspec

from patron.api.codec import MONEY_LIMIT, Amount, Measure
from patron.api.operations import Key, Operation
from patron.api.pipeline import IDEMPOTENCY_KEY, MAX_IDEMPOTENCY_KEY
from patron.api.schemas.common import ErrorResponseWithStatus

_REF: Final = "#/components/schemas/{name}"
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
_SUCCESS: Final = {200: "OK", 201: "Created", 204: "No content"}
_SCHEMES: Final = {
    Key.INTEGRATION: (
        "api_key_v1",
        "An Application's API key: `Authorization: ApiKey-v1 <key>`.",
    ),
    Key.MANAGEMENT: (
        "management_key",
        "An account's management key: `Authorization: ManagementKey-v1 <key>`.",
    ),
}
_HEALTH: Final = {
    "get": {
        "tags": ["Health"],
        "summary": "Answers 200 when the database answers.",
        "operationId": "getHealth",
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"status": {"type": "string", "enum": ["ok"]}},
                            "required": ["status"],
                        }
                    }
                },
            }
        },
    }
}


def document(
    operations: tuple[Operation, ...], *, title: str, version: str, description: str
) -> dict[str, Any]:
    return _document(operations, title, version, description)


@cache
def _document(
    operations: tuple[Operation, ...], title: str, version: str, description: str
) -> dict[str, Any]:
    types = [ErrorResponseWithStatus]
    for operation in operations:
        if operation.body is not None:
            types.append(operation.body)
        types += [
            kind for kind in operation.answers.values() if kind is not None and not isinstance(kind, tuple)
        ]
    (_, components) = msgspec.json.schema_components(types, schema_hook=_custom_schema, ref_template=_REF)
    paths: dict[str, Any] = {"/healthz": _HEALTH}
    for operation in operations:
        paths.setdefault(operation.path, {})[operation.method.lower()] = _operation(operation)
    document = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                name: {"type": "apiKey", "in": "header", "name": "Authorization", "description": text}
                for name, text in _SCHEMES.values()
            },
        },
    }
    tidied: dict[str, Any] = _tidy(document)
    return tidied


def _operation(operation: Operation) -> dict[str, Any]:
    parameters = _parameters(operation)
    entry: dict[str, Any] = {
        "tags": list(operation.tags),
        "summary": operation.summary,
        "operationId": operation.operation_id,
    }
    if parameters:
        entry["parameters"] = parameters
    if operation.upload is not None:
        entry["requestBody"] = operation.upload
    elif operation.body is not None:
        entry["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _schema_of(operation.body)}},
        }
    responses: dict[str, Any] = {}
    for status, kind in operation.answers.items():
        answer: dict[str, Any] = {"description": _SUCCESS.get(status, "OK")}
        if isinstance(kind, tuple):
            media_type, schema = kind
            answer["content"] = {media_type: {"schema": schema}}
        elif kind is not None:
            answer["content"] = {"application/json": {"schema": _schema_of(kind)}}
        responses[str(status)] = answer
    has_body = operation.body is not None or operation.upload is not None
    applies = {
        "400": bool(parameters) or has_body,
        "401": True,
        "404": operation.finds,
        "409": operation.writes,
        "413": has_body,
    }
    for error_status, applying in applies.items():
        if applying:
            responses[error_status] = {
                "description": _DESCRIPTIONS[error_status],
                "content": {"application/json": {"schema": _ERROR_SCHEMA}},
            }
    entry["responses"] = responses
    entry["security"] = [{_SCHEMES[operation.key][0]: []}]
    return entry


def _parameters(operation: Operation) -> list[dict[str, Any]]:
    (schema,), components = msgspec.json.schema_components(
        [operation.params], schema_hook=_custom_schema, ref_template=_REF
    )
    struct = components[schema["$ref"].rsplit("/", 1)[1]]
    required = set(struct.get("required", ()))
    parameters = []
    for name, field in struct.get("properties", {}).items():
        where = "path" if "{" + name + "}" in operation.path else "query"
        schema = _not_null(field)
        description = schema.pop("description", None)
        if schema.get("default", "") is None:
            del schema["default"]
        parameter: dict[str, Any] = {
            "name": name,
            "in": where,
            "required": where == "path" or name in required,
            "schema": schema,
        }
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    if operation.idempotent:
        parameters.append(
            {
                "name": IDEMPOTENCY_KEY,
                "in": "header",
                "required": False,
                "description": "A repeat with this key within 24 hours gets the first answer and "
                "changes nothing.",
                "schema": {"type": "string", "minLength": 1, "maxLength": MAX_IDEMPOTENCY_KEY},
            }
        )
    return parameters


def _schema_of(kind: Any) -> dict[str, Any]:
    if kind is dict:
        return {"type": "object"}
    return {"$ref": _REF.format(name=_component_name(kind))}


def _component_name(kind: Any) -> str:
    (schema,), _ = msgspec.json.schema_components([kind], schema_hook=_custom_schema, ref_template=_REF)
    return str(schema["$ref"].rsplit("/", 1)[1])


def _custom_schema(kind: type) -> dict[str, Any]:
    if kind is Amount:
        return {"type": "number", "minimum": -MONEY_LIMIT, "maximum": MONEY_LIMIT}
    if kind is Measure:
        return {"type": "number", "minimum": 0, "maximum": MONEY_LIMIT}
    raise NotImplementedError(kind)


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query or path parameter is absent or a string: never JSON null."""
    alternatives = [s for s in schema.get("anyOf", []) if s != {"type": "null"}]
    if "anyOf" not in schema or len(alternatives) != 1:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**alternatives[0], **rest}


_GENERIC_NAME: Final = re.compile(r"[\[\], ]+")


def _tidy(value: Any) -> Any:
    """Component names OpenAPI allows (`Page[Audience]` -> `Page_Audience_`); money as a JSON number."""
    if isinstance(value, dict):
        if value.get("type") == "string" and value.get("format") == "decimal":
            return {"type": "number", **{k: v for k, v in value.items() if k not in ("type", "format")}}
        tidied = {}
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                item = _GENERIC_NAME.sub("_", item)
            tidied[_GENERIC_NAME.sub("_", key) if "[" in key else key] = _tidy(item)
        return tidied
    if isinstance(value, list):
        return [_tidy(item) for item in value]
    return value


def swagger_ui(title: str) -> str:
    """Swagger UI over /openapi.json (its script and style come from a CDN, as FastAPI's do)."""
    return f"""<!DOCTYPE html>
<html>
<head>
<title>{title} - Swagger UI</title>
<link type="text/css" rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>
SwaggerUIBundle({{url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true}})
</script>
</body>
</html>
"""
