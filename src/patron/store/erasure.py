"""Erasing a customer: the profile goes, and what referenced it keeps no trace of the customer."""

from patron.store.database import Transaction


async def erase_profile(tx: Transaction, profile_id: int, integration_id: str) -> None:
    """Delete the profile (its memberships and visibility go with it) and detach everything else.

    Sessions, events and returns stay for the record, without attributes and without owner;
    stored idempotent answers that mention the customer are dropped.
    """
    rows = await tx.all("SELECT id, cart_items FROM customer_sessions WHERE profile_id = ?", profile_id)
    blank = tx.json({})
    await tx.run_many(
        "UPDATE customer_sessions SET profile_id = NULL, profile_integration_id = '', attributes = ?,"
        " cart_items = ? WHERE id = ?",
        [
            (
                blank,
                tx.json([{**item, "attributes": {}} for item in tx.read_json(row["cart_items"])]),
                row["id"],
            )
            for row in rows
        ],
    )
    await tx.run(
        "UPDATE events SET profile_id = NULL, profile_integration_id = '', attributes = ?"
        " WHERE profile_id = ?",
        blank,
        profile_id,
    )
    await tx.run(
        "UPDATE returns SET profile_id = NULL, profile_integration_id = '' WHERE profile_id = ?", profile_id
    )
    await _drop_idempotent_answers(tx, profile_id, integration_id)
    await tx.run("DELETE FROM customer_profiles WHERE id = ?", profile_id)


async def _drop_idempotent_answers(tx: Transaction, profile_id: int, integration_id: str) -> None:
    stored = await tx.all(
        "SELECT r.application_id, r.key, r.body FROM idempotency_records r"
        " JOIN applications a ON a.id = r.application_id"
        " JOIN customer_profiles p ON p.account_id = a.account_id AND p.sandbox = a.sandbox"
        " WHERE p.id = ?",
        profile_id,
    )
    needle = integration_id.encode()
    await tx.run_many(
        "DELETE FROM idempotency_records WHERE application_id = ? AND key = ?",
        [(row["application_id"], row["key"]) for row in stored if needle in bytes(row["body"])],
    )
