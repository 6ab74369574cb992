"""Customer sessions: create, update, read, return items, reopen.

Each use case runs inside the caller's transaction. One that finds the transaction read-only is
a dry evaluation (SEMANTICS 11.1): it computes the same answer and stores nothing, so new
entities show id 0.
"""

from dataclasses import replace
from datetime import datetime

from patron.domain import events, returns
from patron.domain.attribute_definitions import check_attributes
from patron.domain.profiles import update_profile
from patron.domain.returns import ReturnRecord, ReturnRequestItem
from patron.domain.sessions import (
    CustomerSession,
    SessionState,
    SessionUpdate,
    check_additional_cost_names,
    create_session,
    payload_only,
    reopen_session,
    session_change_delta,
    update_session,
)
from patron.domain.tenancy import ApplicationScope
from patron.errors import NotFoundError
from patron.services import attributes
from patron.services._profiles import LoadedProfile, load_profile, save_profile
from patron.services.results import IntegrationState
from patron.store import locks
from patron.store.database import Transaction
from patron.store.sessions import OwnedSession


async def update_customer_session(
    tx: Transaction,
    scope: ApplicationScope,
    integration_id: str,
    update: SessionUpdate,
    *,
    now: datetime,
    additional_cost_names: frozenset[str] = frozenset(),
    show_profile: bool = True,
) -> IntegrationState:
    """Create or update a session and fold the change into its owner's counters (SEMANTICS 6, 7).

    `additional_cost_names` lists the names costs may have; empty, any name. `show_profile`:
    the answer shows the owner, with its audiences.
    """
    check_additional_cost_names(update, additional_cost_names)
    if update.evaluable_campaign_ids is not None and not tx.read_only:
        # Only a dry evaluation may be limited to some campaigns; otherwise ignored (SEMANTICS 11.2).
        update = replace(update, evaluable_campaign_ids=None)
    await attributes.check(tx, scope, lambda schemas: _check_attributes(schemas, update))
    await tx.lock(locks.session(scope.application_id, integration_id))
    if update.profile_id:
        # The owner this write will charge, locked now, after its session: one round trip less.
        await tx.lock(locks.profile(scope.account_id, scope.sandbox, update.profile_id))
    stored = await tx.sessions.get(scope.application_id, integration_id)
    owner = None
    if stored is None:
        if update.profile_id:
            # Loaded (and locked) before firstSession is decided, so two new sessions cannot both be first.
            owner = await load_profile(tx, scope, update.profile_id, now=now, memberships=show_profile)
        session = create_session(
            application_id=scope.application_id,
            integration_id=integration_id,
            update=update,
            first_session=await _is_first_session(tx, owner),
            now=now,
        )
    else:
        # A dry close is evaluated on the request payload alone (SEMANTICS 11.2).
        dry_close = tx.read_only and update.state is SessionState.CLOSED
        session = update_session(
            payload_only(stored.session) if dry_close else stored.session, update, now=now
        )
    event_type = events.session_event_type(None if stored is None else stored.session, session)
    return await _apply(
        tx, scope, stored, session, event_type, now=now, owner=owner, show_profile=show_profile
    )


async def get_customer_session(
    tx: Transaction, scope: ApplicationScope, integration_id: str
) -> CustomerSession:
    stored = await tx.sessions.get(scope.application_id, integration_id)
    if stored is None:
        raise _not_found(integration_id)
    return stored.session


async def return_cart_items(
    tx: Transaction,
    scope: ApplicationScope,
    integration_id: str,
    items: list[ReturnRequestItem],
    *,
    now: datetime,
) -> IntegrationState:
    """Return units of a closed session's cart; its owner's totalSales shrinks (SEMANTICS 9)."""
    stored = await _locked_session(tx, scope, integration_id)
    outcome = returns.return_items(stored.session, items, now=now)
    previous = tuple(
        await tx.returns.list_for_session(
            stored.session.id, account_id=scope.account_id, session_integration_id=integration_id
        )
    )
    state = await _apply(tx, scope, stored, outcome.session, events.SESSION_PARTIALLY_RETURNED, now=now)
    record = ReturnRecord(
        id=0,
        created=now,
        application_id=scope.application_id,
        account_id=scope.account_id,
        session_id=stored.session.id,
        session_integration_id=integration_id,
        profile_id=state.profile.id if state.profile else None,
        profile_integration_id=stored.session.profile_id,
        event_id=state.event.id if state.event else 0,
        items=outcome.items,
        amount=outcome.amount,
    )
    if not tx.read_only:
        record = await tx.returns.add(record)
    return replace(state, session_return=record, previous_returns=previous)


async def reopen_customer_session(
    tx: Transaction, scope: ApplicationScope, integration_id: str, *, now: datetime
) -> IntegrationState:
    """Reopen a closed session: it stops counting on its owner (SEMANTICS 10)."""
    stored = await _locked_session(tx, scope, integration_id)
    reopened = reopen_session(stored.session, now=now)
    return await _apply(tx, scope, stored, reopened, events.SESSION_REOPENED, now=now, show_profile=False)


def _check_attributes(schemas: attributes.Schemas, update: SessionUpdate) -> None:
    check_attributes(schemas.session, update.attributes, pointer="/customerSession/attributes")
    for index, item in enumerate(update.cart_items or ()):
        check_attributes(
            schemas.cart_item, item.attributes, pointer=f"/customerSession/cartItems/{index}/attributes"
        )


async def _locked_session(tx: Transaction, scope: ApplicationScope, integration_id: str) -> OwnedSession:
    await tx.lock(locks.session(scope.application_id, integration_id))
    stored = await tx.sessions.get(scope.application_id, integration_id)
    if stored is None:
        raise _not_found(integration_id)
    return stored


async def _apply(
    tx: Transaction,
    scope: ApplicationScope,
    stored: OwnedSession | None,
    after: CustomerSession,
    event_type: str,
    *,
    now: datetime,
    owner: LoadedProfile | None = None,
    show_profile: bool = True,
) -> IntegrationState:
    """Charge the session change to its owner, move lastActivity, record the event; store unless dry.

    `owner` is the owner already loaded (and locked) by the caller, if it was.
    """
    before = None if stored is None else stored.session
    event = events.session_event(after, event_type, now=now)
    if after.anonymous:
        if tx.read_only:
            return IntegrationState(session=after, event=event)
        session = await _save_session(tx, stored, after, profile_pk=None)
        return IntegrationState(session=session, event=await tx.events.add(event, profile_pk=None))
    if owner is None or owner.profile.integration_id != after.profile_id:
        owner = await load_profile(tx, scope, after.profile_id, now=now, memberships=show_profile)
    profile = update_profile(owner.profile, delta=session_change_delta(before, after), activity_at=now)
    if tx.read_only:
        return IntegrationState(session=after, profile=profile, event=event)
    # The Application saw a session's owner when the session got it; only a new owner is news.
    seen = stored is None or owner.is_new or stored.profile_pk != profile.id
    profile = await save_profile(tx, scope, owner, profile, seen=seen)
    session = await _save_session(tx, stored, after, profile_pk=profile.id)
    return IntegrationState(
        session=session, profile=profile, event=await tx.events.add(event, profile_pk=profile.id)
    )


async def _save_session(
    tx: Transaction, stored: OwnedSession | None, after: CustomerSession, *, profile_pk: int | None
) -> CustomerSession:
    if stored is None:
        return await tx.sessions.add(after, profile_pk=profile_pk)
    await tx.sessions.save(stored, after, profile_pk=profile_pk)
    return after


async def _is_first_session(tx: Transaction, owner: LoadedProfile | None) -> bool:
    """True unless the profile has a session in any Application of the environment (SEMANTICS 6.5)."""
    return owner is None or owner.is_new or not await tx.sessions.profile_has_sessions(owner.profile.id)


def _not_found(integration_id: str) -> NotFoundError:
    return NotFoundError(
        f"There is no customer session {integration_id!r} in this Application", parameter="customerSessionId"
    )
