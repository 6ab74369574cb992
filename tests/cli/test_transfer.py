"""`patron export` and `patron import`, through the installed command, on SQLite and PostgreSQL."""

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import simplejson
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from patron.api.app import create_app
from patron.cli import transfer as cli_transfer
from patron.config import Settings
from patron.services import transfer
from patron.store.database import open_database
from patron.store.schema import migrate
from patron.store.tables import metadata
from tests.factories import Store, Tenant, create_tenant

PATRON = str(Path(sys.executable).parent / "patron")
FORMATS = ["csv", "jsonl"]


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATRON_DATABASE_URL": database_url}
    return subprocess.run([PATRON, *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def export(database_url: str, kind: str, path: Path, *flags: str) -> bytes:
    result = run(database_url, "export", kind, "--output", str(path), *flags)
    assert result.returncode == 0, result.stderr
    return path.read_bytes()


def import_file(database_url: str, kind: str, path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return run(database_url, "import", kind, str(path), *flags)


class Api:
    """The Integration API of a server on `settings`, for one Application key."""

    def __init__(self, client: TestClient, key: str) -> None:
        self._client = client
        self._key = key

    def call(self, method: str, path: str, body: Any = None, **params: str) -> Any:
        response = self._client.request(
            method,
            path,
            headers={"Authorization": f"ApiKey-v1 {self._key}", "Content-Type": "application/json"},
            content=None if body is None else simplejson.dumps(body, use_decimal=True),
            params=params,
        )
        assert response.status_code == 200, response.text
        return simplejson.loads(response.content, use_decimal=True) if response.content else None

    def session(self, session_id: str, **session: Any) -> Any:
        return self.call("PUT", f"/v2/customer_sessions/{session_id}", {"customerSession": session})

    def give_back(self, session_id: str, *items: dict[str, int]) -> Any:
        body = {"return": {"returnedCartItems": list(items)}}
        return self.call("POST", f"/v2/customer_sessions/{session_id}/returns", body)

    def counters(self, profile_id: str) -> tuple[int, Decimal]:
        shown = self.call("PUT", f"/v2/customer_profiles/{profile_id}", {}, runRuleEngine="false")
        return shown["customerProfile"]["closedSessions"], shown["customerProfile"]["totalSales"]


@pytest.fixture
def api(settings: Settings) -> Iterator[tuple[Api, Tenant]]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        tenant = create_tenant(Store.of(client))
        yield Api(client, tenant.live_key), tenant


def item(sku: str, quantity: int, price: str, **extra: Any) -> dict[str, Any]:
    return {"sku": sku, "quantity": quantity, "price": Decimal(price), **extra}


def shop(api: Api) -> None:
    """Sessions in every state, the way the API makes them: the data every round trip carries."""
    api.call(
        "PUT",
        "/v2/customer_profiles/alice",
        {"attributes": {"b": 'Älice, "quoted"', "a": Decimal("0.10"), "c": [1, Decimal("2.5")]}},
        runRuleEngine="true",
    )
    api.call("PUT", "/v2/customer_profiles/quiet", {"attributes": {"keep": True}}, runRuleEngine="false")
    api.session(
        "closed-1",
        profileId="alice",
        state="closed",
        cartItems=[item("SKU-A", 1, "1850.50", name="Sofa"), item("SKU-B", 3, "0.10", category="misc")],
        additionalCosts={"shipping": {"price": Decimal("5.00")}},
        attributes={"channel": "web"},
        couponCodes=["SUMMER", "VIP"],
        referralCode="REF-1",
    )
    api.session("cancelled-1", profileId="alice", state="closed", cartItems=[item("SKU-C", 2, "19.99")])
    api.session("cancelled-1", state="cancelled")
    api.session(
        "returned-1",
        profileId="bob",
        state="closed",
        cartItems=[
            item("SKU-A", 2, "20.00", additionalCosts={"wrap": {"price": Decimal("1.50")}}),
            item("SKU-B", 1, "0.10", attributes={"color": "red"}, weight=Decimal("1.250")),
        ],
        additionalCosts={"shipping": {"price": Decimal("4.90")}},
    )
    api.give_back("returned-1", {"position": 0, "quantity": 1})
    api.give_back("returned-1", {"position": 1})
    api.session(
        "open-1",
        profileId="bob",
        cartItems=[item("SKU-D", 1, "7.00")],
        identifiers=["device-1"],
        loyaltyCards=["card-1"],
        storeIntegrationId="store-9",
    )
    api.session("anonymous-1", state="closed", cartItems=[item("SKU-E", 1, "3.30")])
    api.session("reopened-1", profileId="carol", state="closed", cartItems=[item("SKU-F", 1, "9.99")])
    api.call("PUT", "/v2/customer_sessions/reopened-1/reopen")
    api.session("returned-2", profileId="carol", state="closed", cartItems=[item("SKU-G", 4, "2.50")])
    api.give_back("returned-2", {"position": 0, "quantity": 1})
    api.session("returned-2", state="cancelled")


def empty_database(database_url: str, tmp_path: Path) -> str:
    """An empty, migrated database on the same backend; on PostgreSQL the source is emptied."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'target.db'}"
        migrate(url)
        return url
    engine = create_engine(make_url(database_url).set(drivername="postgresql+psycopg"))
    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return database_url


def new_tenant(database_url: str) -> Tenant:
    with asyncio.Runner() as runner:
        database = runner.run(open_database(Settings(database_url=database_url)))
        try:
            return create_tenant(Store(lambda work: runner.run(awaited(work)), database))
        finally:
            runner.run(database.close())


async def awaited(work: Callable[[], Awaitable[Any]]) -> Any:
    return await work()


def records(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [simplejson.loads(line, use_decimal=True) for line in lines]


@pytest.mark.parametrize("file_format", FORMATS)
def test_export_then_import_into_an_empty_database_exports_the_same_bytes(
    database_url: str, api: tuple[Api, Tenant], tmp_path: Path, file_format: str
) -> None:
    client, tenant = api
    shop(client)
    account = ["--account-id", str(tenant.account_id)]
    profiles = export(database_url, "profiles", tmp_path / f"profiles.{file_format}", *account)
    sessions = export(database_url, "sessions", tmp_path / f"sessions.{file_format}", *account, "--live")

    target = empty_database(database_url, tmp_path)
    restored = new_tenant(target)
    loaded_profiles = import_file(target, "profiles", tmp_path / f"profiles.{file_format}", *account)
    loaded_sessions = import_file(
        target,
        "sessions",
        tmp_path / f"sessions.{file_format}",
        "--application-id",
        str(restored.live_application_id),
    )

    assert (loaded_profiles.returncode, loaded_profiles.stderr) == (0, "")
    assert json.loads(loaded_profiles.stdout) == {"imported": 4, "rejected": 0}
    assert (loaded_sessions.returncode, json.loads(loaded_sessions.stdout)) == (
        0,
        {"imported": 7, "rejected": 0},
    )
    assert export(target, "sessions", tmp_path / f"again.{file_format}", *account) == sessions
    assert export(target, "profiles", tmp_path / f"again-profiles.{file_format}", *account) == profiles
    assert run(target, "check").returncode == 0


def test_the_files_carry_exact_decimals_and_every_session_field(
    database_url: str, api: tuple[Api, Tenant], tmp_path: Path
) -> None:
    client, _ = api
    shop(client)

    export(database_url, "sessions", tmp_path / "sessions.jsonl")
    export(database_url, "profiles", tmp_path / "profiles.csv")
    by_id = {record["integrationId"]: record for record in records(tmp_path / "sessions.jsonl")}
    profile_csv = (tmp_path / "profiles.csv").read_text(encoding="utf-8").splitlines()

    returned = by_id["returned-1"]
    assert returned["state"] == "partially_returned"
    assert [(i["quantity"], i["returnedQuantity"]) for i in returned["cartItems"]] == [(2, 1), (1, 1)]
    assert returned["cartItems"][0]["additionalCosts"] == {"wrap": {"price": Decimal("1.50")}}
    assert str(returned["cartItems"][1]["weight"]) == "1.250"
    assert str(by_id["closed-1"]["cartItems"][0]["price"]) == "1850.50"
    assert str(by_id["closed-1"]["cartItems"][1]["price"]) == "0.10"
    assert str(by_id["closed-1"]["total"]) == "1855.80"
    assert by_id["anonymous-1"]["profileId"] == ""
    assert by_id["cancelled-1"]["cancelledAt"] is not None
    assert by_id["reopened-1"]["state"] == "open"
    assert by_id["open-1"]["identifiers"] == ["device-1"]
    assert profile_csv[0] == "integrationId,attributes,created,lastActivity,id,closedSessions,totalSales"
    assert "1855.8" in next(line for line in profile_csv if line.startswith("alice,"))


def test_importing_sessions_alone_charges_their_owners_as_the_api_did(
    database_url: str, api: tuple[Api, Tenant], tmp_path: Path
) -> None:
    client, _ = api
    shop(client)
    expected = {name: client.counters(name) for name in ("alice", "bob", "carol")}
    export(database_url, "sessions", tmp_path / "sessions.csv")

    target = empty_database(database_url, tmp_path)
    restored = new_tenant(target)
    result = import_file(
        target, "sessions", tmp_path / "sessions.csv", "--application-id", str(restored.live_application_id)
    )
    export(target, "profiles", tmp_path / "profiles.jsonl")

    assert result.returncode == 0, result.stderr
    counters = {
        r["integrationId"]: (r["closedSessions"], r["totalSales"])
        for r in records(tmp_path / "profiles.jsonl")
    }
    assert counters == expected
    assert expected["bob"] == (1, Decimal("26.40"))  # 40 + 3 + 0.10 + 4.90, less 21.50 and 0.10 returned
    check = run(target, "check")
    assert (check.returncode, check.stdout) == (0, "")


def test_an_imported_partly_returned_session_takes_further_returns_through_the_api(
    database_url: str, api: tuple[Api, Tenant], tmp_path: Path
) -> None:
    client, _ = api
    shop(client)
    export(database_url, "sessions", tmp_path / "sessions.jsonl")
    target = empty_database(database_url, tmp_path)
    settings = Settings(database_url=target)
    with TestClient(create_app(settings), raise_server_exceptions=False) as server:
        restored = create_tenant(Store.of(server))
        app_id = str(restored.live_application_id)
        assert (
            import_file(
                target, "sessions", tmp_path / "sessions.jsonl", "--application-id", app_id
            ).returncode
            == 0
        )
        restored_api = Api(server, restored.live_key)

        restored_api.give_back("returned-1", {"position": 0, "quantity": 1})

        assert restored_api.counters("bob") == (1, Decimal("4.90"))
    assert run(target, "check").returncode == 0


def test_rejected_rows_are_reported_by_line_and_the_good_rows_land(
    database_url: str, api: tuple[Api, Tenant], tmp_path: Path
) -> None:
    client, tenant = api
    client.session("taken", profileId="dave", state="open")
    good = {
        "integrationId": "good-1",
        "profileId": "erin",
        "state": "closed",
        "cartItems": [item("A", 2, "0.10")],
    }
    lines = [
        simplejson.dumps(good, use_decimal=True),
        json.dumps({"integrationId": "bad-state", "state": "shipped"}),
        "{not json",
        json.dumps({"integrationId": "bad-attribute", "attributes": {"undefined": 1}}),
        json.dumps(
            {
                "integrationId": "over-returned",
                "state": "partially_returned",
                "cartItems": [{"sku": "A", "quantity": 1, "returnedQuantity": 2, "price": 1}],
            }
        ),
        json.dumps({"integrationId": "taken"}),
        "",
        json.dumps({"integrationId": "good-2", "profileId": "erin", "state": "open"}),
        json.dumps({"integrationId": "good-2"}),
        json.dumps({"integrationId": "too-big", "cartItems": [{"sku": "A", "quantity": 10001, "price": 1}]}),
    ]
    source = tmp_path / "sessions.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = import_file(
        database_url, "sessions", source, "--application-id", str(tenant.live_application_id)
    )

    assert result.returncode == 2
    assert json.loads(result.stdout) == {"imported": 2, "rejected": 7}
    reported = [line.split(":", 1)[0] for line in result.stderr.splitlines()]
    assert reported == ["line 2", "line 3", "line 4", "line 5", "line 6", "line 9", "line 10"]
    for reason in ("shipped", "undefined", "already exists", "repeats", "returnedQuantity", "10000"):
        assert reason in result.stderr
    assert client.counters("erin") == (1, Decimal("0.20"))
    assert run(database_url, "check").returncode == 0


def test_profile_rows_merge_attributes_and_rejects_go_to_a_file(
    database_url: str, api: tuple[Api, Tenant], tmp_path: Path
) -> None:
    client, tenant = api
    client.call(
        "PUT", "/v2/customer_profiles/p1", {"attributes": {"a": 1, "b": "kept"}}, runRuleEngine="false"
    )
    source = tmp_path / "profiles.csv"
    source.write_text(
        "integrationId,attributes\n"
        'p1,"{""a"": null, ""n"": 2.50}"\n'
        'p2,"{""a"": ""not a number""}"\n'
        'p3,"{""keep"": true}"\n'
        ",{}\n"
        'p3,"{""x"": 7}"\n',
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.jsonl"

    result = import_file(
        database_url, "profiles", source, "--account-id", str(tenant.account_id), "--rejects", str(rejects)
    )

    assert (result.returncode, json.loads(result.stdout), result.stderr) == (
        2,
        {"imported": 3, "rejected": 2},
        "",
    )
    assert [r["line"] for r in records(rejects)] == [3, 5]
    export(database_url, "profiles", tmp_path / "out.jsonl", "--account-id", str(tenant.account_id))
    attributes = {r["integrationId"]: r["attributes"] for r in records(tmp_path / "out.jsonl")}
    assert attributes == {"p1": {"b": "kept", "n": Decimal("2.50")}, "p3": {"keep": True, "x": 7}}


def test_a_csv_header_with_an_unknown_column_imports_nothing(
    database_url: str, api: tuple[Api, Tenant], tmp_path: Path
) -> None:
    _, tenant = api
    source = tmp_path / "profiles.csv"
    source.write_text("integrationId,nickname\np1,x\n", encoding="utf-8")

    result = import_file(database_url, "profiles", source, "--account-id", str(tenant.account_id))

    assert (result.returncode, result.stdout) == (1, "")
    assert "header" in result.stderr


def test_the_command_line_offers_the_formats_and_batch_size_of_the_transfer_service() -> None:
    # The commands declare these without importing services.transfer (`patron serve` skips it).
    assert [option.value for option in cli_transfer.FormatOption] == [f.value for f in transfer.FileFormat]
    assert cli_transfer.DEFAULT_BATCH_SIZE == transfer.DEFAULT_BATCH_SIZE
