"""Commands: migrate, account, application, serve, quickstart."""

import gc
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from patron.cli import _database, transfer

if TYPE_CHECKING:
    from patron.api.app import PatronApp
    from patron.config import Settings
    from patron.store.database import Transaction

# Each command imports what it uses when it runs: `patron serve` loads neither Alembic nor the
# transfer machinery, and leaves the API's imports to the server (BENCHMARKS.md, cold start).

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
account_app = typer.Typer(no_args_is_help=True, help="Manage accounts.")
application_app = typer.Typer(no_args_is_help=True, help="Manage Applications.")
app.add_typer(account_app, name="account")
app.add_typer(application_app, name="application")
app.add_typer(transfer.export_app, name="export")
app.add_typer(transfer.import_app, name="import")

Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.")]


def _print_json(value: object) -> None:
    typer.echo(json.dumps(value))


@app.command()
def migrate() -> None:
    """Apply the database migrations to PATRON_DATABASE_URL."""
    _migrate(_database.settings())
    typer.echo("database is up to date", err=True)


def _migrate(settings: "Settings") -> None:
    from patron.store.schema import migrate

    migrate(settings.database_url)


@app.command()
def check() -> None:
    """Recompute every profile's closedSessions and totalSales; exit 1 and list any drift."""
    drifted = _database.read(_list_drift)
    typer.echo(f"{drifted} profile(s) with drift", err=True)
    raise typer.Exit(1 if drifted else 0)


async def _list_drift(tx: "Transaction") -> int:
    """Print each drifted profile as it is found (one JSON object a line); returns how many."""
    from contextlib import aclosing

    from patron.services import audit

    drifted = 0
    async with aclosing(audit.find_drift(tx)) as drifts:
        async for drift in drifts:
            drifted += 1
            typer.echo(
                json.dumps(
                    {
                        "profileId": drift.profile_id,
                        "integrationId": drift.integration_id,
                        "stored": {
                            "closedSessions": drift.stored.closed_sessions,
                            "totalSales": str(drift.stored.total_sales),
                        },
                        "recomputed": {
                            "closedSessions": drift.recomputed.closed_sessions,
                            "totalSales": str(drift.recomputed.total_sales),
                        },
                    }
                )
            )
    return drifted


@account_app.command("create")
def create_account(name: Annotated[str, typer.Option(help="Account name.")]) -> None:
    """Create an account and print it with its management key (shown only once)."""
    from patron.services import tenancy

    created = _database.write(lambda tx: tenancy.create_account(tx, name, now=datetime.now(UTC)))
    _print_json(
        {"id": created.account.id, "name": created.account.name, "managementKey": created.management_key}
    )


@application_app.command("create")
def create_application(
    account_id: Annotated[int, typer.Option("--account-id", help="Owning account.")],
    name: Annotated[str, typer.Option(help="Application name.")],
    sandbox: Annotated[bool, typer.Option("--sandbox", help="Sandbox environment (default: live).")] = False,
    currency: Annotated[str, typer.Option(help="Currency of the Application's sessions.")] = "EUR",
    timezone: Annotated[str, typer.Option(help="IANA time zone.")] = "UTC",
) -> None:
    """Create an Application and print it with its Integration API key (shown only once)."""
    from patron.services import tenancy

    created = _database.write(
        lambda tx: tenancy.create_application(
            tx,
            account_id=account_id,
            name=name,
            sandbox=sandbox,
            currency=currency,
            timezone=timezone,
            now=datetime.now(UTC),
        )
    )
    application = created.application
    _print_json(
        {
            "id": application.id,
            "accountId": application.account_id,
            "name": application.name,
            "sandbox": application.sandbox,
            "currency": application.currency,
            "apiKey": created.api_key,
        }
    )


@app.command()
def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
    access_log: Annotated[
        bool, typer.Option("--access-log", help="Log a line per request (uvicorn's access log).")
    ] = False,
) -> None:
    """Migrate the database, then serve both APIs."""
    import uvicorn

    if workers > 1:
        # Migrate once before the workers start, so that they do not queue for the migration
        # lock (a wait PATRON_LOCK_TIMEOUT_SECONDS bounds on PostgreSQL); each then finds the
        # schema current with one SELECT. One process migrates as it builds the app (server_app).
        _migrate(_database.settings())
    # uvicorn's access log costs ~70 us of CPU per request, more than a profile upsert's SQL
    # (BENCHMARKS.md): off unless asked for.
    uvicorn.run(
        "patron.cli.app:server_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
    )


def server_app() -> "PatronApp":
    """The app `patron serve` runs (uvicorn's factory, called once in each server process).

    The app brings the schema up to date as it starts (its lifespan): at the latest revision
    that costs one SELECT and loads no Alembic.
    Importing and building the app leaves ~145k objects that live as long as the process; the
    cyclic garbage collector would walk them again and again meanwhile, so it waits until the app
    is built, and `gc.freeze()` then keeps them out of every later collection (a full one over
    them takes ~0.1 s). The price: the thousand or so objects of start-up garbage in reference
    cycles at that moment are never freed.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        from patron.api.app import create_app

        return create_app()
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


@app.command()
def quickstart(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """On an empty database create a demo account and print its keys; then serve."""
    from patron.cli import demo
    from patron.services import tenancy

    settings = _database.settings()

    async def create_demo(tx: "Transaction") -> str | None:
        if not await tenancy.is_empty(tx):
            return None
        return await demo.create(tx, base_url=f"http://{host}:{port}")

    shown = _database.write(create_demo, config=settings)
    if shown is not None:
        typer.echo(shown)
    else:
        typer.echo(f"{settings.database_url} already holds accounts; their keys were shown when created.")
    serve(host=host, port=port, workers=1, access_log=True)
