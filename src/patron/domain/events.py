"""Events: the built-in ones sessions and profiles emit, and the custom ones integrations track."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from patron.domain.attributes import Attributes
from patron.domain.sessions import CustomerSession, SessionState
from patron.errors import InvalidInputError

BUILT_IN_PREFIX: Final = "talon_"
PROFILE_CREATED: Final = "talon_profile_created"
PROFILE_UPDATED: Final = "talon_profile_updated"
SESSION_PARTIALLY_RETURNED: Final = "talon_session_partially_returned"
SESSION_REOPENED: Final = "talon_session_reopened"


@dataclass(frozen=True, slots=True)
class Event:
    """`id` is 0 until stored."""

    id: int
    application_id: int
    profile_id: str
    type: str
    created: datetime
    attributes: Attributes = field(default_factory=dict)
    session_integration_id: str | None = None
    store_integration_id: str | None = None


def check_custom_event_type(event_type: str) -> None:
    if event_type.startswith(BUILT_IN_PREFIX):
        raise InvalidInputError(
            f"{event_type!r} is a built-in event type; track a custom event instead", pointer="/type"
        )


def session_event_type(before: CustomerSession | None, after: CustomerSession) -> str:
    """The built-in event a session PUT emits (SEMANTICS 6.3)."""
    if before is None:
        return "talon_session_created"
    if after.state is SessionState.CLOSED and before.state is not SessionState.CLOSED:
        return "talon_session_closed"
    if after.state is SessionState.CANCELLED:
        # Cancelling a completed purchase revokes it; an open one is merely cancelled.
        return "talon_session_cancelled" if before.state is SessionState.OPEN else "talon_session_revoked"
    return "talon_session_updated"


def session_event(session: CustomerSession, event_type: str, *, now: datetime) -> Event:
    return Event(
        id=0,
        application_id=session.application_id,
        profile_id=session.profile_id,
        type=event_type,
        created=now,
        session_integration_id=session.integration_id,
        store_integration_id=session.store_integration_id,
    )
