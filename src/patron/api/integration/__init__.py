"""Integration API operations: authenticated by an Application's API key."""

from patron.api.operations import Api, Key

api = Api(Key.INTEGRATION)

# Each module declares its operations on `api` as it is imported.
from patron.api.integration import audiences, customer_data, events, profiles, sessions  # noqa: E402

__all__ = ["api", "audiences", "customer_data", "events", "profiles", "sessions"]
