"""The errors patron raises on purpose; their messages are safe to show to API clients.

    PatronError
    ├── InvalidInputError          a request that breaks a rule (400)
    │   └── InvalidTransitionError a session state change the spec forbids
    ├── UnauthorizedError          missing, unknown or wrong-kind credentials (401)
    ├── NotFoundError              unknown, or belongs to another tenant (404)
    └── ConflictError              the request collides with stored state (409)
        └── ConcurrentUpdateError  the profile or session stayed busy past the lock timeout

Only `patron.api.errors` maps them to HTTP statuses.
"""

from dataclasses import dataclass, field


def pointer_token(part: object) -> str:
    """One token of a JSON pointer (RFC 6901): `~` and `/` escaped, as every pointer writes them."""
    return str(part).replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True)
class ErrorSource:
    """Where the problem is: a JSON pointer into the body, or a query/path/header parameter."""

    pointer: str | None = None
    parameter: str | None = None
    line: str | None = None


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    title: str
    details: str
    source: ErrorSource = field(default_factory=ErrorSource)


class PatronError(Exception):
    """Base class. `details` lists the individual problems, each with its source."""

    title = "Error"

    def __init__(self, message: str, *, details: list[ErrorDetail] | None = None, **source: str) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or [ErrorDetail(self.title, message, ErrorSource(**source))]


class InvalidInputError(PatronError):
    title = "Invalid input"


class InvalidTransitionError(InvalidInputError):
    title = "Invalid state transition"


class UnauthorizedError(PatronError):
    title = "Unauthorized"


class NotFoundError(PatronError):
    title = "Not found"


class ConflictError(PatronError):
    title = "Conflict"


class ConcurrentUpdateError(ConflictError):
    title = "Too many requests"
