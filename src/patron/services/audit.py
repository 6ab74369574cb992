"""`patron check`: every profile's counters against what its sessions and returns add up to."""

from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass

from patron.domain.profiles import ProfileAggregates
from patron.store.database import Transaction


@dataclass(frozen=True, slots=True)
class Drift:
    profile_id: int
    integration_id: str
    stored: ProfileAggregates
    recomputed: ProfileAggregates


async def find_drift(tx: Transaction) -> AsyncGenerator[Drift, None]:
    """Profiles whose stored closedSessions or totalSales differ from the recomputed ones.

    Streams both sides in profile id order and merges them, so memory stays flat.
    """
    async with aclosing(tx.audit.recomputed_aggregates()) as recomputed:
        pending = await anext(recomputed, None)
        async with aclosing(tx.audit.stored_aggregates()) as stored_rows:
            async for profile_id, integration_id, stored in stored_rows:
                expected = ProfileAggregates()
                if pending is not None and pending[0] == profile_id:
                    expected = pending[1]
                    pending = await anext(recomputed, None)
                if stored != expected:
                    yield Drift(profile_id, integration_id, stored, expected)
