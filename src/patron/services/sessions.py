"""Customer sessions: create, update, read, return items, reopen."""

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
from patron.store.unit_of_work import UnitOfWork


def update_customer_session(
    uow: UnitOfWork,
    scope: ApplicationScope,
    integration_id: str,
    update: SessionUpdate,
    *,
    now: datetime,
    dry: bool = False,
    additional_cost_names: frozenset[str] = frozenset(),
) -> IntegrationState:
    """Create or update a session and fold the change into its owner's counters (SEMANTICS 6, 7).

    A dry request computes the same state and stores nothing; new entities show id 0.
    `additional_cost_names` lists the names costs may have; empty, any name.
    """
    check_additional_cost_names(update, additional_cost_names)
    if not dry:
        # Only a dry evaluation may be limited to some campaigns; otherwise ignored (SEMANTICS 11.2).
        update = replace(update, evaluable_campaign_ids=None)
    with uow:
        _check_attributes(attributes.load_schemas(uow, scope), update)
        if not dry:
            uow.lock_session(scope.application_id, integration_id)
        stored = uow.sessions.get(scope.application_id, integration_id)
        owner = None
        if stored is None:
            if update.profile_id:
                if not dry:
                    # Before firstSession is decided, so two new sessions cannot both be first.
                    uow.lock_profiles(scope.account_id, scope.sandbox, [update.profile_id])
                owner = load_profile(uow, scope, update.profile_id, now=now)
            session = create_session(
                application_id=scope.application_id,
                integration_id=integration_id,
                update=update,
                first_session=_is_first_session(uow, owner),
                now=now,
            )
        else:
            # A dry close is evaluated on the request payload alone (SEMANTICS 11.2).
            base = payload_only(stored) if dry and update.state is SessionState.CLOSED else stored
            session = update_session(base, update, now=now)
        state = _apply(
            uow,
            scope,
            stored,
            session,
            events.session_event_type(stored, session),
            now=now,
            dry=dry,
            owner=owner,
        )
        if not dry:
            uow.commit()
    return state


def get_customer_session(uow: UnitOfWork, scope: ApplicationScope, integration_id: str) -> CustomerSession:
    with uow:
        session = uow.sessions.get(scope.application_id, integration_id)
    if session is None:
        raise _not_found(integration_id)
    return session


def return_cart_items(
    uow: UnitOfWork,
    scope: ApplicationScope,
    integration_id: str,
    items: list[ReturnRequestItem],
    *,
    now: datetime,
    dry: bool = False,
) -> IntegrationState:
    """Return units of a closed session's cart; its owner's totalSales shrinks (SEMANTICS 9)."""
    with uow:
        stored = _locked_session(uow, scope, integration_id, dry=dry)
        outcome = returns.return_items(stored, items, now=now)
        previous = tuple(
            uow.returns.list_for_session(
                stored.id, account_id=scope.account_id, session_integration_id=integration_id
            )
        )
        state = _apply(
            uow, scope, stored, outcome.session, events.SESSION_PARTIALLY_RETURNED, now=now, dry=dry
        )
        record = ReturnRecord(
            id=0,
            created=now,
            application_id=scope.application_id,
            account_id=scope.account_id,
            session_id=stored.id,
            session_integration_id=integration_id,
            profile_id=state.profile.id if state.profile else None,
            profile_integration_id=stored.profile_id,
            event_id=state.event.id if state.event else 0,
            items=outcome.items,
            amount=outcome.amount,
        )
        if not dry:
            record = uow.returns.add(record)
            uow.commit()
    return replace(state, session_return=record, previous_returns=previous)


def reopen_customer_session(
    uow: UnitOfWork, scope: ApplicationScope, integration_id: str, *, now: datetime
) -> IntegrationState:
    """Reopen a closed session: it stops counting on its owner (SEMANTICS 10)."""
    with uow:
        stored = _locked_session(uow, scope, integration_id, dry=False)
        state = _apply(
            uow, scope, stored, reopen_session(stored, now=now), events.SESSION_REOPENED, now=now, dry=False
        )
        uow.commit()
    return state


def _check_attributes(schemas: attributes.Schemas, update: SessionUpdate) -> None:
    check_attributes(schemas.session, update.attributes, pointer="/customerSession/attributes")
    for index, item in enumerate(update.cart_items or ()):
        check_attributes(
            schemas.cart_item, item.attributes, pointer=f"/customerSession/cartItems/{index}/attributes"
        )


def _locked_session(
    uow: UnitOfWork, scope: ApplicationScope, integration_id: str, *, dry: bool
) -> CustomerSession:
    if not dry:
        uow.lock_session(scope.application_id, integration_id)
    stored = uow.sessions.get(scope.application_id, integration_id)
    if stored is None:
        raise _not_found(integration_id)
    return stored


def _apply(
    uow: UnitOfWork,
    scope: ApplicationScope,
    before: CustomerSession | None,
    after: CustomerSession,
    event_type: str,
    *,
    now: datetime,
    dry: bool,
    owner: LoadedProfile | None = None,
) -> IntegrationState:
    """Charge the session change to its owner, move lastActivity, record the event; store unless dry.

    `owner` is the owner already loaded (and locked) by the caller, if it was.
    """
    event = events.session_event(after, event_type, now=now)
    if after.anonymous:
        if dry:
            return IntegrationState(session=after, event=event)
        session = _save_session(uow, before, after, profile_pk=None)
        return IntegrationState(session=session, event=uow.events.add(event, profile_pk=None))
    if owner is not None and owner.profile.integration_id == after.profile_id:
        loaded = owner
    else:
        if not dry:
            uow.lock_profiles(scope.account_id, scope.sandbox, [after.profile_id])
        loaded = load_profile(uow, scope, after.profile_id, now=now)
    profile = update_profile(loaded.profile, delta=session_change_delta(before, after), activity_at=now)
    if dry:
        return IntegrationState(session=after, profile=profile, event=event)
    profile = save_profile(uow, scope, profile, is_new=loaded.is_new)
    session = _save_session(uow, before, after, profile_pk=profile.id)
    return IntegrationState(
        session=session, profile=profile, event=uow.events.add(event, profile_pk=profile.id)
    )


def _save_session(
    uow: UnitOfWork, before: CustomerSession | None, after: CustomerSession, *, profile_pk: int | None
) -> CustomerSession:
    if before is None:
        return uow.sessions.add(after, profile_pk=profile_pk)
    uow.sessions.save(after, profile_pk=profile_pk)
    return after


def _is_first_session(uow: UnitOfWork, owner: LoadedProfile | None) -> bool:
    """True unless the profile has a session in any Application of the environment (SEMANTICS 6.5)."""
    return owner is None or owner.is_new or not uow.sessions.profile_has_sessions(owner.profile.id)


def _not_found(integration_id: str) -> NotFoundError:
    return NotFoundError(
        f"There is no customer session {integration_id!r} in this Application", parameter="customerSessionId"
    )
