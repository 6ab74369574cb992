"""Bulk export and import of customer profiles and sessions as CSV or JSON Lines files.

Both formats carry the same fields under the same names: a CSV file has a header row and one
row per record, with JSON text in the JSON-valued cells; a JSON Lines file has one object per
line. Money is an exact decimal (a JSON number written from a Decimal, or decimal text in
CSV), never a binary float. Times are RFC 3339 in UTC with microseconds
(`2026-01-02T03:04:05.678000Z`). In CSV an empty cell, and in JSON Lines `null` or an absent
key, means "not given": the field takes its default.

Profiles (`files.PROFILE_FIELDS`): `integrationId` (required), `attributes` (object, default `{}`),
`created` (default: the import's time), `lastActivity` (default `created`); and, written on
export but ignored on import, `id`, `closedSessions`, `totalSales`. Counters are never taken
from a file: they follow from the sessions, so import profiles first, then their sessions.
Importing a profile that already exists merges its attributes (SEMANTICS 4.8) and keeps its
`created` and `lastActivity`.

Sessions (`files.SESSION_FIELDS`): `integrationId` (required), `profileId` (the owner's integration
id, `""` anonymous), `state` (default `open`), `cartItems` (Talon.One's CartItem shape plus
`returnedQuantity`), `additionalCosts` (`{name: {price}}`), `attributes`, `couponCodes`,
`referralCode`, `loyaltyCards`, `identifiers`, `storeIntegrationId`, `evaluableCampaignIds`,
`firstSession` (default: as the API decides it), `updateCount` (default 1), `created` (default:
the import's time), `updated` (default `created`), `closedAt`, `cancelledAt` (default `updated`
for states that need them); and, written on export but ignored on import, `total`. A session
that already exists in the Application is rejected: an import only adds sessions.

An imported session charges its owner exactly as the API would have (SEMANTICS 7): closed and
partially returned sessions add 1 to `closedSessions` and their contribution (total less the
value of the returned units, SEMANTICS 9.2) to `totalSales`. Returned units arrive as
`returnedQuantity` on the cart items; the import records them as one return per session
(created at the session's `updated` time, `eventId` 0), so `patron check` finds the counters
consistent. Owners that do not exist yet are created, as the API's session PUT would; an import
records no events and does not move `lastActivity` (like the bulk profile update, SEMANTICS 4.9).

Transactions: an import commits every `batch_size` good rows, so memory and lock times stay
bounded whatever the file's size; rows are validated before their batch's transaction begins.
A rejected row (reported with its line number and reason) never stops the others. On PostgreSQL
a batch holds an advisory lock per profile, or per session and per owner (up to two a row),
and the server's lock table holds about max_locks_per_transaction times max_connections of them
(6,400 by default) for all its sessions: a `batch_size` beyond a few thousand fails with "out
of shared memory".

Modules: `files` (the two formats: reading, writing, cells), `fields` (checking one field of a
row), `targets` (the account or Application a command names), `batches` (batches, rejections,
the report), `export`, `profiles` (import), `session_rows` (a row as a session) and `sessions`
(import, with the owners' counters and the returns it records).
"""

from patron.services.transfer.batches import DEFAULT_BATCH_SIZE, ImportReport, Rejection
from patron.services.transfer.export import export_profiles, export_sessions
from patron.services.transfer.files import FileFormat, format_of
from patron.services.transfer.profiles import import_profiles
from patron.services.transfer.sessions import import_sessions

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "FileFormat",
    "ImportReport",
    "Rejection",
    "export_profiles",
    "export_sessions",
    "format_of",
    "import_profiles",
    "import_sessions",
]
