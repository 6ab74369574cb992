"""One face over both official Talon.One Python SDKs, for the SDK test suite.

Importable under either SDK (they share the module name ``talon_one``; install one per virtualenv):

* ``talon-one-python-sdk==9.0.0`` ("SDK9": legacy openapi-generator, untyped, validating setters);
* ``talon-one-sdk==26.2`` ("SDK26": pydantic v2, strict types).

Conventions:

* Requests are given as plain values with the wire's camelCase keys (``{"cartItems": [{"sku": ..}]}``)
  and built into the SDK's own model classes (``IntegrationRequest``, ``NewCustomerSessionV2``,
  ``CartItem`` ...) by :func:`build_model`, which refuses keys the SDK model does not know (both SDKs
  would otherwise drop them silently).
* Results are the SDK's parsed result converted back by :func:`to_plain` to camelCase dicts. A field
  that was absent or ``null`` on the wire is absent from the dict (neither SDK keeps the difference);
  ``null`` values inside free-form objects (``attributes``, effect ``props``) are kept. Timestamps come
  back as timezone-aware :class:`datetime.datetime` (both SDKs parse them); numbers as the SDK made
  them (SDK9 turns every ``number`` into ``float``; ``10 == 10.0`` so equality still works).
* Operations without a response body return ``None``.
* Errors are the SDK's own ``ApiException`` (re-exported here), raised unchanged; use
  :func:`error_status` / :func:`error_body`. SDK9 raises ``ValueError`` when a 2xx body lacks a field
  it requires; SDK26 raises ``pydantic.ValidationError`` in that case.
* :data:`last_response` holds the HTTP status and headers of the most recent call (not thread-safe).

See SDK_METHODS.md next to this file for the method table and the wire observations.
"""

# SDK9 ships no py.typed marker, so under it `talon_one` is untyped (everything from it is Any).
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import talon_one

__all__ = [
    "SDK_VERSION",
    "ApiException",
    "CallInfo",
    "build_model",
    "create_attribute",
    "create_audience",
    "delete_audience",
    "delete_audience_memberships",
    "delete_customer_data",
    "error_body",
    "error_status",
    "export_audiences_memberships",
    "export_customer_sessions",
    "get_application",
    "get_application_customer",
    "get_application_customers",
    "get_application_customers_by_attributes",
    "get_application_session",
    "get_application_sessions",
    "get_applications",
    "get_attributes",
    "get_audience_memberships",
    "get_audiences",
    "get_customer_activity_report",
    "get_customer_analytics",
    "get_customer_profile",
    "get_customer_profiles",
    "get_customer_session",
    "get_customers_by_attributes",
    "import_audiences_memberships",
    "integration_api",
    "last_response",
    "management_api",
    "reopen_customer_session",
    "return_cart_items",
    "to_plain",
    "track_event",
    "update_audience",
    "update_audience_customers_attributes",
    "update_customer_profile",
    "update_customer_profile_audiences",
    "update_customer_profiles",
    "update_customer_session",
]

JSONDict = dict[str, Any]


def _detect_version() -> int:
    version = str(getattr(talon_one, "__version__", ""))
    major = version.split(".", 1)[0]
    if major == "9":
        return 9
    if major == "26":
        return 26
    # Fall back to probing: SDK26 models are pydantic models, SDK9 models carry `attribute_map`.
    return 26 if hasattr(talon_one.CartItem, "model_fields") else 9


SDK_VERSION: Final[int] = _detect_version()
"""9 for talon-one-python-sdk 9.x, 26 for talon-one-sdk 26.x."""

ApiException: Final[type[Exception]] = talon_one.ApiException
"""The SDK's HTTP error (SDK26 raises subclasses: NotFoundException, ConflictException, ...)."""

REQUEST_TIMEOUT: float = 30.0
"""Passed as ``_request_timeout`` on every call, so a hung server fails the test instead of hanging it."""


@dataclass
class CallInfo:
    """HTTP status and response headers (lower-cased names) of the most recent call."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)


last_response: Final[CallInfo] = CallInfo()


# ---------------------------------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------------------------------


def _api_client(base_url: str, key_name: str, key: str, prefix: str) -> Any:
    host = base_url.rstrip("/")
    conf = talon_one.Configuration(host=host, api_key={key_name: key}, api_key_prefix={key_name: prefix})
    return talon_one.ApiClient(conf)


def integration_api(base_url: str, api_key: str) -> talon_one.IntegrationApi:
    """An IntegrationApi sending ``Authorization: ApiKey-v1 <api_key>``."""
    # SDK9 keys its auth settings by header name; SDK26 by security-scheme name.
    key_name = "Authorization" if SDK_VERSION == 9 else "api_key_v1"
    return talon_one.IntegrationApi(_api_client(base_url, key_name, api_key, "ApiKey-v1"))


def management_api(base_url: str, management_key: str) -> talon_one.ManagementApi:
    """A ManagementApi sending ``Authorization: ManagementKey-v1 <management_key>``."""
    key_name = "Authorization" if SDK_VERSION == 9 else "management_key"
    return talon_one.ManagementApi(_api_client(base_url, key_name, management_key, "ManagementKey-v1"))


# ---------------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------------


def error_status(exc: BaseException) -> int:
    """The HTTP status of an SDK ``ApiException``."""
    if not isinstance(exc, ApiException):
        raise TypeError(f"not an SDK ApiException: {exc!r}")
    status = getattr(exc, "status", None)
    if not isinstance(status, int):
        raise TypeError(f"ApiException without an HTTP status: {exc!r}")
    return status


def error_body(exc: BaseException) -> Any:
    """The JSON body of an SDK ``ApiException`` (``None`` when empty, the text when not JSON)."""
    if not isinstance(exc, ApiException):
        raise TypeError(f"not an SDK ApiException: {exc!r}")
    body = getattr(exc, "body", None)
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body


# ---------------------------------------------------------------------------------------------------
# Models <-> plain values
# ---------------------------------------------------------------------------------------------------

_SDK9_CONTAINER = re.compile(r"^(list)\[(.*)\]$|^(dict)\(([^,]*), (.*)\)$")


def _build9(type_name: str, value: Any, path: str) -> Any:
    if value is None:
        return None
    match = _SDK9_CONTAINER.match(type_name)
    if match and match.group(1):
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise TypeError(f"{path}: expected a list, got {value!r}")
        return [_build9(match.group(2), v, f"{path}[{i}]") for i, v in enumerate(value)]
    if match and match.group(3):
        if not isinstance(value, Mapping):
            raise TypeError(f"{path}: expected an object, got {value!r}")
        return {k: _build9(match.group(5), v, f"{path}.{k}") for k, v in value.items()}
    klass = getattr(talon_one.models, type_name, None)
    if klass is None or not hasattr(klass, "attribute_map"):
        return value  # str, int, float, bool, datetime, date, object: passed through as given
    if not isinstance(value, Mapping):
        raise TypeError(f"{path}: expected an object for {type_name}, got {value!r}")
    by_wire = {wire: attr for attr, wire in klass.attribute_map.items()}
    unknown = sorted(set(value) - set(by_wire))
    if unknown:
        raise TypeError(f"{path}: SDK{SDK_VERSION} model {type_name} has no field(s) {unknown}")
    kwargs = {
        by_wire[k]: _build9(klass.openapi_types[by_wire[k]], v, f"{path}.{k}") for k, v in value.items()
    }
    return klass(**kwargs)


def _check_round_trip(given: Any, built: Any, path: str) -> None:
    """Every non-null key given must survive into the built model (SDK26 drops unknown keys)."""
    if isinstance(given, Mapping) and isinstance(built, Mapping):
        for k, v in given.items():
            if v is None:
                continue
            if k not in built:
                raise TypeError(f"{path}: SDK{SDK_VERSION} model has no field {k!r}")
            _check_round_trip(v, built[k], f"{path}.{k}")
    elif (
        isinstance(given, Sequence)
        and not isinstance(given, str)
        and isinstance(built, Sequence)
        and not isinstance(built, str)
    ):
        for i, (g, b) in enumerate(zip(given, built, strict=False)):
            _check_round_trip(g, b, f"{path}[{i}]")


def build_model(model_name: str, data: Mapping[str, Any]) -> Any:
    """Build the SDK model ``model_name`` (e.g. ``"IntegrationRequest"``) from a camelCase dict.

    Nested objects become the SDK's nested models. Keys the model does not know raise ``TypeError``.
    SDK-side validation errors (SDK9 ``ValueError``, SDK26 ``pydantic.ValidationError``) propagate.
    """
    if SDK_VERSION == 9:
        return _build9(model_name, data, model_name)
    klass = getattr(talon_one, model_name)
    model = klass.from_dict(dict(data))
    _check_round_trip(data, to_plain(model), model_name)
    return model


def to_plain(obj: object) -> Any:
    """Convert an SDK result (model, list, dict, scalar) to plain values with the wire's camelCase keys."""
    if obj is None or isinstance(obj, str | bool | int | float | _dt.date):
        return obj
    if isinstance(obj, list | tuple):
        return [to_plain(v) for v in obj]
    if isinstance(obj, Mapping):  # free-form JSON object: keep every key, nulls included
        return {str(k): to_plain(v) for k, v in obj.items()}
    attribute_map = getattr(type(obj), "attribute_map", None)
    if isinstance(attribute_map, dict):  # SDK9 model
        out: JSONDict = {}
        for attr, wire in attribute_map.items():
            value = getattr(obj, attr)
            if value is not None:
                out[str(wire)] = to_plain(value)
        return out
    fields = getattr(type(obj), "model_fields", None)
    if isinstance(fields, dict):  # SDK26 (pydantic) model
        out = {}
        for name, info in fields.items():
            value = getattr(obj, name)
            if value is not None:
                out[str(info.alias or name)] = to_plain(value)
        return out
    return obj


def _plain_dict(obj: object) -> JSONDict:
    plain = to_plain(obj)
    if not isinstance(plain, dict):
        # SDK26 hands back None when the status is not the one the spec documents (e.g. 200, not 201).
        raise TypeError(
            f"SDK{SDK_VERSION} returned {obj!r} instead of an object (HTTP {last_response.status})"
        )
    return plain


def _plain_or_none(obj: object) -> JSONDict | None:
    return None if obj is None else _plain_dict(obj)


def _compact(values: Mapping[str, Any]) -> JSONDict:
    return {k: v for k, v in values.items() if v is not None}


# ---------------------------------------------------------------------------------------------------
# Calling
# ---------------------------------------------------------------------------------------------------


def _call(api: Any, method: str, *args: Any, idempotency_key: str | None = None, **params: Any) -> Any:
    """Call ``api.<method>_with_http_info``; record status/headers; return the parsed data.

    ``None`` params are dropped (both SDKs would omit them from the query anyway).
    Idempotency-Key: neither SDK declares it; SDK26 sends it via the per-call ``_headers`` argument,
    SDK9 (which has no per-call headers) via ``api_client.default_headers`` around this one call.
    """
    kwargs = _compact(params)
    kwargs["_request_timeout"] = REQUEST_TIMEOUT
    fn = getattr(api, f"{method}_with_http_info")
    if SDK_VERSION == 26:
        if idempotency_key is not None:
            kwargs["_headers"] = {"Idempotency-Key": idempotency_key}
        response = fn(*args, **kwargs)
        data, status, headers = response.data, response.status_code, response.headers
    else:
        default_headers: dict[str, str] = api.api_client.default_headers
        if idempotency_key is not None:
            default_headers["Idempotency-Key"] = idempotency_key
        try:
            data, status, headers = fn(*args, **kwargs)
        finally:
            default_headers.pop("Idempotency-Key", None)
    last_response.status = int(status)
    last_response.headers = {str(k).lower(): str(v) for k, v in dict(headers or {}).items()}
    return data


def _call_text(api: Any, method: str, *args: Any, **params: Any) -> str:
    """Like :func:`_call` for the CSV exports, returning the body text.

    SDK26 raises ``ApiException(status=0, "Unsupported content type: application/csv")`` when it tries
    to deserialise an ``application/csv`` answer (it only reads JSON and ``text/*``), so under SDK26 the
    request is made with ``<method>_without_preload_content`` and the body read here. SDK9 returns the
    raw text for any non-JSON body.
    """
    if SDK_VERSION == 9:
        return str(_call(api, method, *args, **params))
    kwargs = _compact(params)
    kwargs["_request_timeout"] = REQUEST_TIMEOUT
    response = getattr(api, f"{method}_without_preload_content")(*args, **kwargs)
    raw: bytes = response.data
    text = raw.decode("utf-8")
    last_response.status = int(response.status)
    last_response.headers = {str(k).lower(): str(v) for k, v in response.headers.items()}
    if not 200 <= last_response.status <= 299:
        talon_one.ApiException.from_response(http_resp=response, body=text, data=None)  # raises
    return text


# ---------------------------------------------------------------------------------------------------
# Integration API (#1-#14 of ENDPOINTS.md)
# ---------------------------------------------------------------------------------------------------


def update_customer_session(
    api: talon_one.IntegrationApi,
    session_id: str,
    customer_session: Mapping[str, Any],
    *,
    dry: bool | None = None,
    now: _dt.datetime | None = None,
    response_content: Sequence[str] | None = None,
    idempotency_key: str | None = None,
) -> JSONDict:
    """#1 PUT /v2/customer_sessions/{id}: ``customer_session`` is a NewCustomerSessionV2 dict
    (profileId, state, cartItems, couponCodes, attributes, evaluableCampaignIds ...)."""
    body = build_model(
        "IntegrationRequest",
        _compact({"customerSession": customer_session, "responseContent": response_content}),
    )
    result = _call(
        api, "update_customer_session_v2", session_id, body, dry=dry, now=now, idempotency_key=idempotency_key
    )
    return _plain_dict(result)


def get_customer_session(api: talon_one.IntegrationApi, session_id: str) -> JSONDict:
    """#2 GET /v2/customer_sessions/{id} -> {customerSession, effects}."""
    return _plain_dict(_call(api, "get_customer_session", session_id))


def return_cart_items(
    api: talon_one.IntegrationApi,
    session_id: str,
    returned_cart_items: Sequence[Mapping[str, Any]],
    *,
    dry: bool | None = None,
    response_content: Sequence[str] | None = None,
    idempotency_key: str | None = None,
) -> JSONDict:
    """#3 POST /v2/customer_sessions/{id}/returns: items are ReturnedCartItem dicts
    ({"position": 0, "quantity": 1}; SDK26 also knows "sku"; SDK9 requires "position")."""
    body = build_model(
        "ReturnIntegrationRequest",
        _compact(
            {"return": {"returnedCartItems": list(returned_cart_items)}, "responseContent": response_content}
        ),
    )
    return _plain_dict(
        _call(api, "return_cart_items", session_id, body, dry=dry, idempotency_key=idempotency_key)
    )


def reopen_customer_session(
    api: talon_one.IntegrationApi, session_id: str, *, idempotency_key: str | None = None
) -> JSONDict:
    """#4 PUT /v2/customer_sessions/{id}/reopen -> {effects}. No request body."""
    return _plain_dict(_call(api, "reopen_customer_session", session_id, idempotency_key=idempotency_key))


def update_customer_profile(
    api: talon_one.IntegrationApi,
    integration_id: str,
    *,
    attributes: Mapping[str, Any] | None = None,
    audiences_changes: Mapping[str, Sequence[int]] | None = None,
    evaluable_campaign_ids: Sequence[int] | None = None,
    run_rule_engine: bool | None = None,
    dry: bool | None = None,
    response_content: Sequence[str] | None = None,
    idempotency_key: str | None = None,
) -> JSONDict:
    """#5 PUT /v2/customer_profiles/{integrationId}. ``audiences_changes`` is {"adds": [..], "deletes": [..]}
    (the SDKs require both lists when the object is given)."""
    body = build_model(
        "CustomerProfileIntegrationRequestV2",
        _compact(
            {
                "attributes": attributes,
                "audiencesChanges": audiences_changes,
                "evaluableCampaignIds": evaluable_campaign_ids,
                "responseContent": response_content,
            }
        ),
    )
    result = _call(
        api,
        "update_customer_profile_v2",
        integration_id,
        body,
        run_rule_engine=run_rule_engine,
        dry=dry,
        idempotency_key=idempotency_key,
    )
    return _plain_dict(result)


def update_customer_profiles(
    api: talon_one.IntegrationApi,
    profiles: Sequence[Mapping[str, Any]],
    *,
    silent: str | None = "no",
    idempotency_key: str | None = None,
) -> JSONDict | None:
    """#6 PUT /v2/customer_profiles: ``profiles`` are {"integrationId", "attributes"} dicts.

    ``silent="no"`` (this helper's default) -> {integrationStates: [...]}; ``silent="yes"`` or ``None``
    (server default: 204) -> ``None``.
    """
    body = build_model("MultipleCustomerProfileIntegrationRequest", {"customerProfiles": list(profiles)})
    result = _call(api, "update_customer_profiles_v2", body, silent=silent, idempotency_key=idempotency_key)
    if last_response.status == 204:
        return None  # SDK9 hands back an empty model for a 204, SDK26 None
    return _plain_or_none(result)


def track_event(
    api: talon_one.IntegrationApi,
    profile_id: str | None,
    type: str,
    attributes: Mapping[str, Any] | None = None,
    *,
    store_integration_id: str | None = None,
    evaluable_campaign_ids: Sequence[int] | None = None,
    loyalty_cards: Sequence[str] | None = None,
    response_content: Sequence[str] | None = None,
    dry: bool | None = None,
    force_complete_evaluation: bool | None = None,
    silent: str | None = "no",
    idempotency_key: str | None = None,
) -> JSONDict | None:
    """#7 POST /v2/events. ``silent="no"`` by default: SDK9 cannot parse the server's default 204
    (it raises ValueError building an empty TrackEventV2Response). ``profile_id=None``: anonymous event."""
    body = build_model(
        "IntegrationEventV2Request",
        _compact(
            {
                "profileId": profile_id,
                "storeIntegrationId": store_integration_id,
                "evaluableCampaignIds": evaluable_campaign_ids,
                "type": type,
                "attributes": attributes,
                "loyaltyCards": loyalty_cards,
                "responseContent": response_content,
            }
        ),
    )
    result = _call(
        api,
        "track_event_v2",
        body,
        silent=silent,
        dry=dry,
        force_complete_evaluation=force_complete_evaluation,
        idempotency_key=idempotency_key,
    )
    return _plain_or_none(result)


def create_audience(
    api: talon_one.IntegrationApi,
    name: str,
    *,
    integration: str | None = None,
    integration_id: str | None = None,
    description: str | None = None,
    sandbox: bool | None = None,
    created_in_3rd_party: bool | None = None,
) -> JSONDict:
    """#8 POST /v2/audiences -> Audience (SDK26 returns None unless the status is exactly 201)."""
    body = build_model(
        "NewAudience",
        _compact(
            {
                "name": name,
                "integration": integration,
                "integrationId": integration_id,
                "description": description,
                "sandbox": sandbox,
                "createdIn3rdParty": created_in_3rd_party,
            }
        ),
    )
    return _plain_dict(_call(api, "create_audience_v2", body))


def update_audience(api: talon_one.IntegrationApi, audience_id: int, name: str) -> JSONDict:
    """#9 PUT /v2/audiences/{audienceId} -> Audience."""
    body = build_model("UpdateAudience", {"name": name})
    return _plain_dict(_call(api, "update_audience_v2", audience_id, body))


def delete_audience(api: talon_one.IntegrationApi, audience_id: int) -> None:
    """#10 DELETE /v2/audiences/{audienceId} (204)."""
    _call(api, "delete_audience_v2", audience_id)


def delete_audience_memberships(api: talon_one.IntegrationApi, audience_id: int) -> None:
    """#11 DELETE /v2/audiences/{audienceId}/memberships (204)."""
    _call(api, "delete_audience_memberships_v2", audience_id)


def update_customer_profile_audiences(
    api: talon_one.IntegrationApi, changes: Sequence[Mapping[str, Any]]
) -> None:
    """#12 POST /v2/customer_audiences: changes are
    {"action": "add"|"delete", "profileIntegrationId": str, "audienceId": int} dicts (204)."""
    body = build_model("CustomerProfileAudienceRequest", {"data": list(changes)})
    _call(api, "update_customer_profile_audiences", body)


def update_audience_customers_attributes(
    api: talon_one.IntegrationApi, audience_id: int, attributes: Mapping[str, Any]
) -> None:
    """#13 PUT /v2/audience_customers/{audienceId}/attributes: body is a free-form object (204)."""
    _call(api, "update_audience_customers_attributes", audience_id, dict(attributes))


def delete_customer_data(api: talon_one.IntegrationApi, integration_id: str) -> None:
    """#14 DELETE /v1/customer_data/{integrationId} (204)."""
    _call(api, "delete_customer_data", integration_id)


# ---------------------------------------------------------------------------------------------------
# Management API (#15-#33)
# ---------------------------------------------------------------------------------------------------


def get_customer_profile(api: talon_one.ManagementApi, customer_id: int) -> JSONDict:
    """#15 GET /v1/customers/{customerId} -> CustomerProfile."""
    return _plain_dict(_call(api, "get_customer_profile", customer_id))


def get_customer_profiles(
    api: talon_one.ManagementApi,
    *,
    page_size: int | None = None,
    skip: int | None = None,
    sandbox: bool | None = None,
) -> JSONDict:
    """#16 GET /v1/customers/no_total -> {hasMore, data}."""
    return _plain_dict(_call(api, "get_customer_profiles", page_size=page_size, skip=skip, sandbox=sandbox))


def get_customers_by_attributes(
    api: talon_one.ManagementApi,
    query: Mapping[str, Any],
    *,
    page_size: int | None = None,
    skip: int | None = None,
    sandbox: bool | None = None,
) -> JSONDict:
    """#17 POST /v1/customer_search/no_total: ``query`` is a CustomerProfileSearchQuery dict
    ({"attributes": {...}, "integrationIDs": [...], "profileIDs": [...]}) -> {hasMore, data}."""
    body = build_model("CustomerProfileSearchQuery", query)
    result = _call(api, "get_customers_by_attributes", body, page_size=page_size, skip=skip, sandbox=sandbox)
    return _plain_dict(result)


def get_application_customers(
    api: talon_one.ManagementApi,
    application_id: int,
    *,
    integration_id: str | None = None,
    page_size: int | None = None,
    skip: int | None = None,
    with_total_result_size: bool | None = None,
) -> JSONDict:
    """#18 GET /v1/applications/{applicationId}/customers -> {hasMore or totalResultSize, data}."""
    result = _call(
        api,
        "get_application_customers",
        application_id,
        integration_id=integration_id,
        page_size=page_size,
        skip=skip,
        with_total_result_size=with_total_result_size,
    )
    return _plain_dict(result)


def get_application_customer(api: talon_one.ManagementApi, application_id: int, customer_id: int) -> JSONDict:
    """#19 GET /v1/applications/{applicationId}/customers/{customerId} -> ApplicationCustomer."""
    return _plain_dict(_call(api, "get_application_customer", application_id, customer_id))


def get_application_customers_by_attributes(
    api: talon_one.ManagementApi,
    application_id: int,
    query: Mapping[str, Any],
    *,
    page_size: int | None = None,
    skip: int | None = None,
    with_total_result_size: bool | None = None,
) -> JSONDict:
    """#20 POST /v1/applications/{applicationId}/customer_search -> {hasMore or totalResultSize, data}."""
    body = build_model("CustomerProfileSearchQuery", query)
    result = _call(
        api,
        "get_application_customers_by_attributes",
        application_id,
        body,
        page_size=page_size,
        skip=skip,
        with_total_result_size=with_total_result_size,
    )
    return _plain_dict(result)


def get_customer_analytics(
    api: talon_one.ManagementApi,
    application_id: int,
    customer_id: int,
    *,
    page_size: int | None = None,
    skip: int | None = None,
    sort: str | None = None,
) -> JSONDict:
    """#21 GET /v1/applications/{applicationId}/customers/{customerId}/analytics -> CustomerAnalytics."""
    result = _call(
        api, "get_customer_analytics", application_id, customer_id, page_size=page_size, skip=skip, sort=sort
    )
    return _plain_dict(result)


def get_customer_activity_report(
    api: talon_one.ManagementApi,
    application_id: int,
    customer_id: int,
    range_start: _dt.datetime,
    range_end: _dt.datetime,
    *,
    page_size: int | None = None,
    skip: int | None = None,
) -> JSONDict:
    """#22 GET /v1/applications/{applicationId}/customer_activity_reports/{customerId}?rangeStart&rangeEnd.

    Note the SDK's positional order: (range_start, range_end, application_id, customer_id)."""
    result = _call(
        api,
        "get_customer_activity_report",
        range_start,
        range_end,
        application_id,
        customer_id,
        page_size=page_size,
        skip=skip,
    )
    return _plain_dict(result)


def get_application_sessions(
    api: talon_one.ManagementApi,
    application_id: int,
    *,
    page_size: int | None = None,
    skip: int | None = None,
    sort: str | None = None,
    profile: str | None = None,
    state: str | None = None,
    created_before: _dt.datetime | None = None,
    created_after: _dt.datetime | None = None,
    coupon: str | None = None,
    referral: str | None = None,
    integration_id: str | None = None,
    store_integration_id: str | None = None,
) -> JSONDict:
    """#23 GET /v1/applications/{applicationId}/sessions -> {hasMore, data}."""
    result = _call(
        api,
        "get_application_sessions",
        application_id,
        page_size=page_size,
        skip=skip,
        sort=sort,
        profile=profile,
        state=state,
        created_before=created_before,
        created_after=created_after,
        coupon=coupon,
        referral=referral,
        integration_id=integration_id,
        store_integration_id=store_integration_id,
    )
    return _plain_dict(result)


def get_application_session(api: talon_one.ManagementApi, application_id: int, session_id: int) -> JSONDict:
    """#24 GET /v1/applications/{applicationId}/sessions/{sessionId} -> ApplicationSession."""
    return _plain_dict(_call(api, "get_application_session", application_id, session_id))


def export_customer_sessions(
    api: talon_one.ManagementApi,
    application_id: int,
    *,
    created_before: _dt.datetime | None = None,
    created_after: _dt.datetime | None = None,
    profile_integration_id: str | None = None,
    date_format: str | None = None,
    customer_session_state: str | None = None,
) -> str:
    """#25 GET /v1/applications/{applicationId}/export_customer_sessions -> CSV text."""
    return _call_text(
        api,
        "export_customer_sessions",
        application_id,
        created_before=created_before,
        created_after=created_after,
        profile_integration_id=profile_integration_id,
        date_format=date_format,
        customer_session_state=customer_session_state,
    )


def get_audiences(
    api: talon_one.ManagementApi,
    *,
    page_size: int | None = None,
    skip: int | None = None,
    sort: str | None = None,
    with_total_result_size: bool | None = None,
) -> JSONDict:
    """#26 GET /v1/audiences -> {hasMore or totalResultSize, data}."""
    result = _call(
        api,
        "get_audiences",
        page_size=page_size,
        skip=skip,
        sort=sort,
        with_total_result_size=with_total_result_size,
    )
    return _plain_dict(result)


def get_audience_memberships(
    api: talon_one.ManagementApi,
    audience_id: int,
    *,
    page_size: int | None = None,
    skip: int | None = None,
    sort: str | None = None,
    profile_query: str | None = None,
) -> JSONDict:
    """#27 GET /v1/audiences/{audienceId}/memberships -> {hasMore, data}."""
    result = _call(
        api,
        "get_audience_memberships",
        audience_id,
        page_size=page_size,
        skip=skip,
        sort=sort,
        profile_query=profile_query,
    )
    return _plain_dict(result)


def export_audiences_memberships(api: talon_one.ManagementApi, audience_id: int) -> str:
    """#28 GET /v1/audiences/{audienceId}/memberships/export -> CSV text."""
    return _call_text(api, "export_audiences_memberships", audience_id)


def import_audiences_memberships(api: talon_one.ManagementApi, audience_id: int, csv_text: str) -> JSONDict:
    """#29 POST /v1/audiences/{audienceId}/memberships/import (multipart) -> Import.

    Both SDKs send ``upFile`` as a plain multipart *form field* (no filename, no Content-Type) whose
    value is the string given: the CSV text itself. (The doc string says "file"; a path would be sent
    literally.) ``csv_text`` is therefore passed through as is.
    """
    return _plain_dict(_call(api, "import_audiences_memberships", audience_id, up_file=csv_text))


def get_attributes(
    api: talon_one.ManagementApi,
    *,
    page_size: int | None = None,
    skip: int | None = None,
    sort: str | None = None,
    entity: str | None = None,
    application_ids: str | None = None,
    type: str | None = None,
    kind: str | None = None,
    search: str | None = None,
) -> JSONDict:
    """#30 GET /v1/attributes -> {totalResultSize, data}.

    ``application_ids``/``type``/``kind``/``search`` exist only in SDK26 (SDK9 raises ApiTypeError)."""
    result = _call(
        api,
        "get_attributes",
        page_size=page_size,
        skip=skip,
        sort=sort,
        entity=entity,
        application_ids=application_ids,
        type=type,
        kind=kind,
        search=search,
    )
    return _plain_dict(result)


def create_attribute(api: talon_one.ManagementApi, attribute: Mapping[str, Any]) -> JSONDict:
    """#31 POST /v1/attributes: ``attribute`` is a NewAttribute dict (entity, name, title, type, description,
    suggestions and editable are required by both SDKs) -> Attribute (SDK26: None unless status 201)."""
    body = build_model("NewAttribute", attribute)
    return _plain_dict(_call(api, "create_attribute", body))


def get_applications(
    api: talon_one.ManagementApi,
    *,
    page_size: int | None = None,
    skip: int | None = None,
    sort: str | None = None,
) -> JSONDict:
    """#32 GET /v1/applications -> {totalResultSize, data}."""
    return _plain_dict(_call(api, "get_applications", page_size=page_size, skip=skip, sort=sort))


def get_application(api: talon_one.ManagementApi, application_id: int) -> JSONDict:
    """#33 GET /v1/applications/{applicationId} -> Application."""
    return _plain_dict(_call(api, "get_application", application_id))
