"""Management API operations: authenticated by an account's management key."""

from patron.api.operations import Api, Key

api = Api(Key.MANAGEMENT)

# Each module declares its operations on `api` as it is imported.
from patron.api.management import applications, attributes, audiences, customers, sessions  # noqa: E402

__all__ = ["api", "applications", "attributes", "audiences", "customers", "sessions"]
