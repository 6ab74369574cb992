"""Erasing a customer: the profile goes, and what referenced it keeps no trace of the customer."""

from sqlalchemy import Connection, delete, select, update

from patron.store.tables import (
    applications,
    customer_profiles,
    customer_sessions,
    events,
    idempotency_records,
    returns,
)


def erase_profile(connection: Connection, profile_id: int, integration_id: str) -> None:
    """Delete the profile (its memberships and visibility go with it) and detach everything else.

    Sessions, events and returns stay for the record, without attributes and without owner;
    stored idempotent answers that mention the customer are dropped.
    """
    _blank_sessions(connection, profile_id)
    connection.execute(
        update(events)
        .where(events.c.profile_id == profile_id)
        .values(profile_id=None, profile_integration_id="", attributes={})
    )
    connection.execute(
        update(returns)
        .where(returns.c.profile_id == profile_id)
        .values(profile_id=None, profile_integration_id="")
    )
    _drop_idempotent_answers(connection, profile_id, integration_id)
    connection.execute(delete(customer_profiles).where(customer_profiles.c.id == profile_id))


def _blank_sessions(connection: Connection, profile_id: int) -> None:
    s = customer_sessions
    rows = connection.execute(select(s.c.id, s.c.cart_items).where(s.c.profile_id == profile_id)).all()
    for row in rows:
        items = [{**item, "attributes": {}} for item in row.cart_items]
        connection.execute(
            update(s)
            .where(s.c.id == row.id)
            .values(profile_id=None, profile_integration_id="", attributes={}, cart_items=items)
        )


def _drop_idempotent_answers(connection: Connection, profile_id: int, integration_id: str) -> None:
    profile = connection.execute(
        select(customer_profiles.c.account_id, customer_profiles.c.sandbox).where(
            customer_profiles.c.id == profile_id
        )
    ).one()
    environment = select(applications.c.id).where(
        applications.c.account_id == profile.account_id, applications.c.sandbox == profile.sandbox
    )
    r = idempotency_records
    needle = integration_id.encode()
    stored = connection.execute(
        select(r.c.application_id, r.c.key, r.c.body).where(r.c.application_id.in_(environment))
    )
    for row in stored.all():
        if needle in bytes(row.body):
            connection.execute(delete(r).where(r.c.application_id == row.application_id, r.c.key == row.key))
