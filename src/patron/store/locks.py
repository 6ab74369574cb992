"""The names writers lock, in one place: every writer of a thing spells its name the same way.

On PostgreSQL a name becomes a transaction-scoped advisory lock (`Transaction.lock`); on SQLite a
writer holds the whole database's write lock anyway. The opt-in admission tickets of Talon.One's
parallel-request limit (`services/admission.py`) count per the same session and profile names.
"""


def session(application_id: int, integration_id: str) -> str:
    return f"session:{application_id}:{integration_id}"


def profile(account_id: int, sandbox: bool, integration_id: str) -> str:
    return f"profile:{account_id}:{int(sandbox)}:{integration_id}"


def profiles(account_id: int, sandbox: bool, integration_ids: list[str]) -> list[str]:
    return [profile(account_id, sandbox, integration_id) for integration_id in integration_ids]


def audience(audience_id: int) -> str:
    return f"audience:{audience_id}"


def audience_name(account_id: int, integration: str, integration_id: str) -> str:
    return f"audience-name:{account_id}:{integration}:{integration_id}"


def attribute_names(account_id: int, entity: str) -> str:
    return f"attributes:{account_id}:{entity}"


def idempotency_key(application_id: int, key: str) -> str:
    return f"idempotency:{application_id}:{key}"


def admission(resource: str) -> str:
    return f"admission:{resource}"
