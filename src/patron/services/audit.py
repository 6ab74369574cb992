"""`patron check`: every profile's counters against what its sessions and returns add up to."""

from collections.abc import Iterator
from dataclasses import dataclass

from patron.domain.profiles import ProfileAggregates
from patron.store.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Drift:
    profile_id: int
    integration_id: str
    stored: ProfileAggregates
    recomputed: ProfileAggregates


def find_drift(uow: UnitOfWork) -> Iterator[Drift]:
    """Profiles whose stored closedSessions or totalSales differ from the recomputed ones.

    Streams both sides in profile id order and merges them, so memory stays flat.
    """
    with uow:
        recomputed = uow.audit.recomputed_aggregates()
        pending = next(recomputed, None)
        for profile_id, integration_id, stored in uow.audit.stored_aggregates():
            expected = ProfileAggregates()
            if pending is not None and pending[0] == profile_id:
                expected = pending[1]
                pending = next(recomputed, None)
            if stored != expected:
                yield Drift(profile_id, integration_id, stored, expected)
