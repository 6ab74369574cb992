"""`patron import profiles`: create profiles, or merge the attributes of those that exist (SEMANTICS 4.8)."""

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from patron.domain.attribute_definitions import AttributeSchema, Entity
from patron.domain.attributes import merge_attributes
from patron.domain.profiles import CustomerProfile
from patron.services.transfer import fields, targets
from patron.services.transfer.batches import (
    DEFAULT_BATCH_SIZE,
    ImportReport,
    Rejection,
    RejectionHandler,
    batches,
)
from patron.services.transfer.files import PROFILE_FIELDS, FileFormat, RowError, records
from patron.store import locks
from patron.store.database import Database


async def import_profiles(
    database: Database,
    lines: Iterable[str],
    file_format: FileFormat,
    *,
    account_id: int,
    sandbox: bool,
    now: datetime,
    on_reject: RejectionHandler,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ImportReport:
    """Create or update the profiles a file lists, in one environment of one account.

    Every batch of good rows is one write transaction of its own (committed before the next).
    """
    async with database.transaction(write=False) as tx:
        await targets.account(tx, account_id)
        definitions = await tx.attributes.list_for_account(account_id, entity=Entity.CUSTOMER_PROFILE)
    # Profiles belong to the environment, not to one Application: every definition applies.
    check = fields.attribute_checker(
        AttributeSchema(Entity.CUSTOMER_PROFILE, {d.name: d for d in definitions})
    )
    imported = rejected = 0
    for batch in batches(records(lines, file_format, PROFILE_FIELDS), batch_size):
        good: dict[str, CustomerProfile] = {}
        for line, record in batch:
            try:
                profile = _profile(record, check, account_id=account_id, sandbox=sandbox, now=now)
            except RowError as exc:
                rejected += 1
                on_reject(Rejection(line, str(exc)))
                continue
            imported += 1
            earlier = good.get(profile.integration_id)
            if earlier is not None:
                # Two updates in a row act as one that sends the keys of both, nulls included.
                profile = replace(earlier, attributes={**earlier.attributes, **profile.attributes})
            good[profile.integration_id] = profile
        if good:
            await _store_profiles(database, account_id, sandbox, good)
    async with database.transaction(write=True) as tx:
        await tx.transfer.refresh_statistics()
    return ImportReport(imported, rejected)


def _profile(
    record: dict[str, Any] | str,
    check: fields.AttributeCheck,
    *,
    account_id: int,
    sandbox: bool,
    now: datetime,
) -> CustomerProfile:
    """A profile as the row describes it; its attributes keep explicit nulls for merging."""
    if isinstance(record, str):
        raise RowError(record)
    created = fields.timestamp(record, "created", now) or now
    return CustomerProfile(
        id=0,
        account_id=account_id,
        sandbox=sandbox,
        integration_id=fields.text(record, "integrationId", low=1),
        created=created,
        last_activity=fields.timestamp(record, "lastActivity", created) or created,
        attributes=check(fields.json_object(record, "attributes"), "attributes"),
    )


async def _store_profiles(
    database: Database, account_id: int, sandbox: bool, profiles: dict[str, CustomerProfile]
) -> None:
    """Insert the new profiles; merge the attributes of those that exist (SEMANTICS 4.8)."""
    async with database.transaction(write=True) as tx:
        await tx.lock(*locks.profiles(account_id, sandbox, list(profiles)))
        fresh = [
            profile if None not in profile.attributes.values() else _without_nulls(profile)
            for profile in profiles.values()
        ]
        if await tx.transfer.insert_profiles(fresh) != len(fresh):
            # Some existed. Merging into all is harmless: a profile inserted just now already
            # holds these attributes, so merging them again changes nothing.
            stored = await tx.transfer.profiles(account_id, sandbox, profiles)
            await tx.transfer.set_attributes(
                [
                    (found.id, merge_attributes(found.attributes, profiles[integration_id].attributes))
                    for integration_id, found in stored.items()
                ]
            )


def _without_nulls(profile: CustomerProfile) -> CustomerProfile:
    return replace(profile, attributes=merge_attributes({}, profile.attributes))
