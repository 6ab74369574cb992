"""Commands: export and import of profiles and sessions as CSV or JSON Lines (layout: services/transfer).

`import` prints `{"imported", "rejected"}` on stdout and exits 0 when every row was imported,
2 when some were rejected (each reported with its line number), 1 when the file or the
target is unusable.
"""

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final, TextIO

import typer

from patron.cli import _database
from patron.errors import PatronError

if TYPE_CHECKING:
    from patron.services.transfer import FileFormat, ImportReport, Rejection

# What the commands do is imported when one runs (services.transfer, the store, rich), so that
# `patron serve` does not load it. These two mirror services.transfer's FileFormat and
# DEFAULT_BATCH_SIZE, which tests/cli/test_transfer.py holds them to.
DEFAULT_BATCH_SIZE: Final = 1000


class FormatOption(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


export_app = typer.Typer(no_args_is_help=True, help="Write profiles or sessions to a CSV or JSON Lines file.")
import_app = typer.Typer(
    no_args_is_help=True, help="Read profiles or sessions from a CSV or JSON Lines file."
)

Format = Annotated[
    FormatOption | None,
    typer.Option("--format", help="File format (default: the file's extension; jsonl on stdout)."),
]
Output = Annotated[
    Path | None, typer.Option("--output", "-o", dir_okay=False, help="File (default: stdout).")
]
AccountId = Annotated[int | None, typer.Option("--account-id", help="Account (default: the only one).")]
Environment = Annotated[bool, typer.Option("--sandbox/--live", help="Environment (default: live).")]
Source = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or JSONL file.")
]
Rejects = Annotated[
    Path | None,
    typer.Option(
        "--rejects", dir_okay=False, help="Write rejected rows here as JSON Lines (default: stderr)."
    ),
]
BatchSize = Annotated[int, typer.Option("--batch-size", min=1, help="Rows per transaction.")]


@export_app.command("profiles")
def export_profiles(
    file_format: Format = None,
    output: Output = None,
    account_id: AccountId = None,
    sandbox: Environment = False,
) -> None:
    """Export the profiles of one environment of an account, in id order."""
    from patron.services import transfer

    with _failures(), _destination(output, file_format) as (out, chosen), _progress("profiles", None) as step:
        count = _database.read(
            lambda tx: transfer.export_profiles(
                tx, out, chosen, account_id=account_id, sandbox=sandbox, progress=step
            )
        )
    typer.echo(f"exported {count} profile(s)", err=True)


@export_app.command("sessions")
def export_sessions(
    file_format: Format = None,
    output: Output = None,
    account_id: AccountId = None,
    sandbox: Environment = False,
    application_id: Annotated[
        int | None, typer.Option("--application-id", help="Only this Application's sessions.")
    ] = None,
) -> None:
    """Export the sessions of one Application, or of every Application of an environment."""
    from patron.services import transfer

    with _failures(), _destination(output, file_format) as (out, chosen), _progress("sessions", None) as step:
        count = _database.read(
            lambda tx: transfer.export_sessions(
                tx,
                out,
                chosen,
                account_id=account_id,
                sandbox=sandbox,
                application_id=application_id,
                progress=step,
            )
        )
    typer.echo(f"exported {count} session(s)", err=True)


@import_app.command("profiles")
def import_profiles(
    source: Source,
    account_id: Annotated[int, typer.Option("--account-id", help="Account the profiles belong to.")],
    file_format: Format = None,
    sandbox: Environment = False,
    rejects: Rejects = None,
    batch_size: BatchSize = DEFAULT_BATCH_SIZE,
) -> None:
    """Create or update profiles (attributes merge); counters come from their sessions."""
    from patron.services import transfer

    with _failures(), _reading(source, file_format, rejects) as (lines, chosen, on_reject):
        report = _database.run(
            lambda database: transfer.import_profiles(
                database,
                lines,
                chosen,
                account_id=account_id,
                sandbox=sandbox,
                now=datetime.now(UTC),
                on_reject=on_reject,
                batch_size=batch_size,
            ),
            migrate=True,
        )
    _finish(report)


@import_app.command("sessions")
def import_sessions(
    source: Source,
    application_id: Annotated[int, typer.Option("--application-id", help="Application to add them to.")],
    file_format: Format = None,
    rejects: Rejects = None,
    batch_size: BatchSize = DEFAULT_BATCH_SIZE,
) -> None:
    """Add sessions (existing ones are rejected) and charge their owners as the API would."""
    from patron.services import transfer

    with _failures(), _reading(source, file_format, rejects) as (lines, chosen, on_reject):
        report = _database.run(
            lambda database: transfer.import_sessions(
                database,
                lines,
                chosen,
                application_id=application_id,
                now=datetime.now(UTC),
                on_reject=on_reject,
                batch_size=batch_size,
            ),
            migrate=True,
        )
    _finish(report)


def _finish(report: "ImportReport") -> None:
    typer.echo(json.dumps({"imported": report.imported, "rejected": report.rejected}))
    raise typer.Exit(2 if report.rejected else 0)


@contextmanager
def _failures() -> Iterator[None]:
    try:
        yield
    except PatronError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from exc


@contextmanager
def _destination(output: Path | None, given: FormatOption | None) -> Iterator[tuple[TextIO, "FileFormat"]]:
    from patron.services import transfer

    if output is None:
        yield sys.stdout, _file_format(given) or transfer.FileFormat.JSONL
        return
    chosen = transfer.format_of(str(output), _file_format(given))
    with output.open("w", encoding="utf-8", newline="") as out:
        yield out, chosen


def _file_format(given: FormatOption | None) -> "FileFormat | None":
    from patron.services.transfer import FileFormat

    return None if given is None else FileFormat(given.value)


@contextmanager
def _reading(
    source: Path, given: FormatOption | None, rejects: Path | None
) -> Iterator[tuple[Iterable[str], "FileFormat", Callable[["Rejection"], None]]]:
    from patron.services import transfer

    chosen = transfer.format_of(str(source), _file_format(given))
    with ExitStack() as stack:
        lines: Iterable[str] = stack.enter_context(source.open(encoding="utf-8", newline=""))
        step = stack.enter_context(_progress("bytes", os.path.getsize(source)))
        if step is not None:
            lines = _counted(lines, step)
        report = stack.enter_context(rejects.open("w", encoding="utf-8")) if rejects else None

        def on_reject(rejection: "Rejection") -> None:
            if report is None:
                typer.echo(f"line {rejection.line}: {rejection.reason}", err=True)
            else:
                report.write(json.dumps({"line": rejection.line, "reason": rejection.reason}) + "\n")

        yield lines, chosen, on_reject


def _counted(lines: Iterable[str], step: Callable[[int], None]) -> Iterator[str]:
    """The lines, reporting their size to the progress bar every thousand lines."""
    size = 0
    for number, line in enumerate(lines, start=1):
        size += len(line)
        if number % 1000 == 0:
            step(size)
            size = 0
        yield line
    step(size)


@contextmanager
def _progress(unit: str, total: int | None) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr when stderr is a terminal; otherwise nothing at all."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(unit), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(unit, total=total)
        yield lambda amount: progress.advance(task, amount)
