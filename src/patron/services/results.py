"""What the use cases hand back to the API layer."""

from dataclasses import dataclass

from patron.domain.events import Event
from patron.domain.profiles import CustomerProfile
from patron.domain.returns import ReturnRecord
from patron.domain.sessions import CustomerSession


@dataclass(frozen=True, slots=True)
class IntegrationState:
    """The state after an Integration API call; what is None did not take part in it."""

    session: CustomerSession | None = None
    profile: CustomerProfile | None = None
    event: Event | None = None
    session_return: ReturnRecord | None = None
    previous_returns: tuple[ReturnRecord, ...] = ()
