"""The CLI contract that outside tools rely on, exercised through the installed `patron` command."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from patron.services import tenancy
from tests.factories import Store

# The `patron` script installed beside the interpreter running the tests.
PATRON = str(Path(sys.executable).parent / "patron")


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATRON_DATABASE_URL": database_url}
    return subprocess.run([PATRON, *args], env=env, capture_output=True, text=True, timeout=60, check=False)


def run_json(database_url: str, *args: str) -> Any:
    result = run(database_url, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_account_create_prints_exactly_one_json_object(database_url: str, store: Store) -> None:
    account = run_json(database_url, "account", "create", "--name", "Acme")

    assert set(account) == {"id", "name", "managementKey"}
    assert isinstance(account["id"], int)
    assert account["name"] == "Acme"
    scope = store.run(lambda: tenancy.authenticate_management_key(store.database, account["managementKey"]))
    assert scope.account_id == account["id"]


@pytest.mark.parametrize(
    ("flags", "sandbox", "currency"),
    [([], False, "EUR"), (["--sandbox", "--currency", "USD", "--timezone", "Europe/Berlin"], True, "USD")],
    ids=["live-defaults", "sandbox-usd"],
)
def test_application_create_prints_exactly_one_json_object(
    database_url: str, store: Store, flags: list[str], sandbox: bool, currency: str
) -> None:
    account = run_json(database_url, "account", "create", "--name", "Acme")

    application = run_json(
        database_url, "application", "create", "--account-id", str(account["id"]), "--name", "Shop", *flags
    )

    assert set(application) == {"id", "accountId", "name", "sandbox", "currency", "apiKey"}
    assert (application["accountId"], application["name"]) == (account["id"], "Shop")
    assert (application["sandbox"], application["currency"]) == (sandbox, currency)
    scope = store.run(lambda: tenancy.authenticate_integration_key(store.database, application["apiKey"]))
    assert (scope.application_id, scope.sandbox) == (application["id"], sandbox)


def test_application_create_for_an_unknown_account_fails_and_prints_nothing(database_url: str) -> None:
    result = run(database_url, "application", "create", "--account-id", "999", "--name", "Shop")

    assert result.returncode != 0
    assert result.stdout == ""


def test_migrate_is_idempotent(database_url: str) -> None:
    assert run(database_url, "migrate").returncode == 0
    assert run(database_url, "migrate").returncode == 0
