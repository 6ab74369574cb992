"""`patron import sessions`: add sessions to an Application and charge their owners as the API would.

Owners that do not exist yet are created (SEMANTICS 5.1); returned units become one return per
session, so the counters and the returns agree (`patron check`).
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from patron.domain.profiles import ProfileAggregates, new_profile
from patron.domain.returns import ReturnedCartItem, ReturnRecord
from patron.domain.sessions import CustomerSession
from patron.domain.tenancy import ApplicationScope
from patron.services import attributes as attribute_service
from patron.services.transfer import targets
from patron.services.transfer.batches import (
    DEFAULT_BATCH_SIZE,
    ImportReport,
    Rejection,
    RejectionHandler,
    batches,
)
from patron.services.transfer.files import SESSION_FIELDS, FileFormat, RowError, records
from patron.services.transfer.session_rows import SessionRow, returned_value, session_row
from patron.store import locks
from patron.store.database import Database, Transaction


async def import_sessions(
    database: Database,
    lines: Iterable[str],
    file_format: FileFormat,
    *,
    application_id: int,
    now: datetime,
    on_reject: RejectionHandler,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ImportReport:
    """Add the sessions a file lists to one Application, charging their owners (SEMANTICS 7).

    Every batch of good rows is one write transaction of its own (committed before the next).
    """
    async with database.transaction(write=False) as tx:
        application = await targets.application(tx, application_id)
        scope = ApplicationScope(application.account_id, application.id, application.sandbox)
        schemas = await attribute_service.load_schemas(tx, scope)
    imported = rejected = 0
    for batch in batches(records(lines, file_format, SESSION_FIELDS), batch_size):
        good: list[SessionRow] = []
        rejections: list[Rejection] = []
        for line, record in batch:
            try:
                good.append(session_row(line, record, schemas, application_id=application_id, now=now))
            except RowError as exc:
                rejections.append(Rejection(line, str(exc)))
        if good:
            imported += await _store_sessions(database, scope, good, rejections, now=now)
        rejected += len(rejections)
        for rejection in sorted(rejections, key=lambda rejection: rejection.line):
            on_reject(rejection)
    async with database.transaction(write=True) as tx:
        await tx.transfer.refresh_statistics()
    return ImportReport(imported, rejected)


async def _store_sessions(
    database: Database,
    scope: ApplicationScope,
    rows: list[SessionRow],
    rejections: list[Rejection],
    *,
    now: datetime,
) -> int:
    """Insert one batch of sessions with their returns and owners; returns how many were added."""
    async with database.transaction(write=True) as tx:
        # The sessions first, then their owners (`_owners`): the order every writer keeps.
        await tx.lock(*(locks.session(scope.application_id, row.session.integration_id) for row in rows))
        existing = await tx.transfer.existing_sessions(
            scope.application_id, (r.session.integration_id for r in rows)
        )
        fresh: dict[str, SessionRow] = {}
        for row in rows:
            integration_id = row.session.integration_id
            if integration_id in existing:
                reason = f"customer session {integration_id!r} already exists in this Application"
                rejections.append(Rejection(row.line, reason))
            elif integration_id in fresh:
                reason = f"repeats customer session {integration_id!r} of line {fresh[integration_id].line}"
                rejections.append(Rejection(row.line, reason))
            else:
                fresh[integration_id] = row
        if not fresh:
            return 0
        owners = await _owners(tx, scope, {row.session.profile_id for row in fresh.values()} - {""}, now=now)
        sessions = await _with_first_session(tx, list(fresh.values()), owners)
        ids = await tx.transfer.insert_sessions(
            [(session, owners[session.profile_id] if session.profile_id else None) for session in sessions]
        )
        await tx.transfer.insert_returns(
            [
                _return_record(scope, session, ids[session.integration_id], owners)
                for session in sessions
                if any(item.returned_quantity for item in session.cart_items)
            ]
        )
        await _charge_owners(tx, scope, sessions, owners)
        await tx.transfer.link_application(scope.application_id, owners.values())
    return len(sessions)


async def _owners(
    tx: Transaction, scope: ApplicationScope, integration_ids: set[str], *, now: datetime
) -> dict[str, int]:
    """The internal ids of the sessions' owners, creating those that do not exist yet (SEMANTICS 5.1)."""
    wanted = sorted(integration_ids)
    await tx.lock(*locks.profiles(scope.account_id, scope.sandbox, wanted))
    stored = await tx.transfer.profiles(scope.account_id, scope.sandbox, wanted)
    found = {key: value.id for key, value in stored.items()}
    missing = [integration_id for integration_id in wanted if integration_id not in found]
    if missing:
        await tx.transfer.insert_profiles(
            [
                new_profile(
                    account_id=scope.account_id, sandbox=scope.sandbox, integration_id=integration_id, now=now
                )
                for integration_id in missing
            ]
        )
        created = await tx.transfer.profiles(scope.account_id, scope.sandbox, missing)
        found |= {key: value.id for key, value in created.items()}
    return found


async def _with_first_session(
    tx: Transaction, rows: list[SessionRow], owners: dict[str, int]
) -> list[CustomerSession]:
    """Fill in firstSession where the file left it out: true unless the owner already has a session."""
    undecided = {
        owners[row.session.profile_id] for row in rows if row.first_session is None and row.session.profile_id
    }
    seen = await tx.transfer.profiles_with_sessions(undecided)
    sessions: list[CustomerSession] = []
    for row in rows:
        first = row.first_session
        owner = owners.get(row.session.profile_id)
        if first is None:
            first = owner is None or owner not in seen
        if owner is not None:
            seen.add(owner)
        sessions.append(replace(row.session, first_session=first))
    return sessions


def _return_record(
    scope: ApplicationScope, session: CustomerSession, session_id: int, owners: dict[str, int]
) -> ReturnRecord:
    """The units a file shows as returned, as one return made when the session was last updated."""
    items = tuple(
        ReturnedCartItem(position, item.returned_quantity, item.sku)
        for position, item in enumerate(session.cart_items)
        if item.returned_quantity
    )
    return ReturnRecord(
        id=0,
        created=session.updated,
        application_id=scope.application_id,
        account_id=scope.account_id,
        session_id=session_id,
        session_integration_id=session.integration_id,
        profile_id=owners.get(session.profile_id),
        profile_integration_id=session.profile_id,
        event_id=0,
        items=items,
        amount=returned_value(session),
    )


async def _charge_owners(
    tx: Transaction, scope: ApplicationScope, sessions: list[CustomerSession], owners: dict[str, int]
) -> None:
    deltas: dict[str, ProfileAggregates] = {}
    for session in sessions:
        if session.counted and not session.anonymous:
            deltas[session.profile_id] = (
                deltas.get(session.profile_id, ProfileAggregates()) + session.aggregates()
            )
    if not deltas:
        return
    stored = await tx.transfer.profiles(scope.account_id, scope.sandbox, deltas)
    await tx.transfer.set_aggregates(
        [
            (stored[integration_id].id, stored[integration_id].aggregates + delta)
            for integration_id, delta in deltas.items()
        ]
    )
