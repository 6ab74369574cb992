"""Audiences through the Management API: lists, members, CSV export and import (SEMANTICS 17.8)."""

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.api.conftest import management
from tests.api.integration_client import call, profile
from tests.factories import Tenant


def audience(client: TestClient, tenant: Tenant, name: str, *, members: tuple[str, ...] = ()) -> int:
    audience_id: int = call(client, "POST", "/v2/audiences", tenant.sandbox_key, {"name": name})["id"]
    actions = [
        {"action": "add", "profileIntegrationId": member, "audienceId": audience_id} for member in members
    ]
    if actions:
        call(client, "POST", "/v2/customer_audiences", tenant.sandbox_key, {"data": actions})
    return audience_id


def get(client: TestClient, tenant: Tenant, path: str, **params: Any) -> Any:
    return client.get(path, params=params, headers=management(tenant.management_key))


def test_audiences_of_both_environments_are_listed(client: TestClient, tenant: Tenant) -> None:
    audience(client, tenant, "Sandbox VIP")
    call(client, "POST", "/v2/audiences", tenant.live_key, {"name": "Live VIP"})

    listing = get(client, tenant, "/v1/audiences", withTotalResultSize="true").json()
    first = get(client, tenant, "/v1/audiences", pageSize=1).json()

    assert [a["name"] for a in listing["data"]] == ["Sandbox VIP", "Live VIP"]
    assert listing["totalResultSize"] == 2
    assert (len(first["data"]), first["hasMore"]) == (1, True)


def test_members_are_listed_filtered_and_paged(client: TestClient, tenant: Tenant) -> None:
    vip = audience(client, tenant, "VIP", members=("alice", "bob", "alina"))

    members = get(client, tenant, f"/v1/audiences/{vip}/memberships").json()
    filtered = get(
        client, tenant, f"/v1/audiences/{vip}/memberships", profileQuery="ALI", sort="-integrationId"
    ).json()
    paged = get(client, tenant, f"/v1/audiences/{vip}/memberships", pageSize=2).json()

    assert [m["integrationId"] for m in members["data"]] == ["alice", "bob", "alina"]
    assert members["data"][0]["audienceMemberships"] == [{"id": vip, "name": "VIP"}]
    assert [m["integrationId"] for m in filtered["data"]] == ["alina", "alice"]
    assert (len(paged["data"]), paged["hasMore"]) == (2, True)
    assert get(client, tenant, f"/v1/audiences/{vip}/memberships", sort="nope").status_code == 400


def test_export_and_import_round_trip_and_import_replaces(client: TestClient, tenant: Tenant) -> None:
    vip = audience(client, tenant, "VIP", members=("alice", "bob"))

    exported = get(client, tenant, f"/v1/audiences/{vip}/memberships/export")
    imported = client.post(
        f"/v1/audiences/{vip}/memberships/import",
        files={"upFile": ("members.csv", b"profileintegrationid\nbob\ncarol\n", "text/csv")},
        headers=management(tenant.management_key),
    )
    # The official SDKs send the CSV as a plain multipart field, without a file name.
    plain_field = client.post(
        f"/v1/audiences/{vip}/memberships/import",
        files={"upFile": (None, b"profileintegrationid\ncarol\ndave\n")},
        headers=management(tenant.management_key),
    )

    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/csv")
    assert exported.text == "profileintegrationid\nalice\nbob\n"
    assert imported.status_code == 200
    assert imported.json()["amount"] == 2
    assert imported.json()["entity"] == "AudienceMembership"
    assert plain_field.status_code == 200
    assert (
        get(client, tenant, f"/v1/audiences/{vip}/memberships/export").text
        == "profileintegrationid\ncarol\ndave\n"
    )
    assert profile(client, tenant.sandbox_key, "alice")["audienceMemberships"] == []
    assert profile(client, tenant.sandbox_key, "dave")["audienceMemberships"] == [{"id": vip, "name": "VIP"}]


def test_a_file_without_the_column_is_400_and_changes_nothing(client: TestClient, tenant: Tenant) -> None:
    vip = audience(client, tenant, "VIP", members=("alice",))

    answer = client.post(
        f"/v1/audiences/{vip}/memberships/import",
        files={"upFile": ("members.csv", b"email\nx@y\n", "text/csv")},
        headers=management(tenant.management_key),
    )

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["source"] == {"line": "1"}
    assert (
        get(client, tenant, f"/v1/audiences/{vip}/memberships/export").text == "profileintegrationid\nalice\n"
    )


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "N/A"),
        (b"profileintegrationid\nbob\nca\x00rol\n", "3"),
        (b'profileintegrationid\n"' + b"x" * 200_000 + b'"\n', "2"),
    ],
    ids=["not-utf-8", "nul", "field-over-the-csv-limit"],
)
def test_a_file_that_is_not_csv_text_is_400_naming_the_line_and_changes_nothing(
    client: TestClient, tenant: Tenant, content: bytes, line: str
) -> None:
    vip = audience(client, tenant, "VIP", members=("alice",))

    answer = client.post(
        f"/v1/audiences/{vip}/memberships/import",
        files={"upFile": ("members.csv", content, "text/csv")},
        headers=management(tenant.management_key),
    )

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["source"] == {"line": line}
    assert (
        get(client, tenant, f"/v1/audiences/{vip}/memberships/export").text == "profileintegrationid\nalice\n"
    )


def test_an_audience_id_beyond_32_bits_is_400_naming_it(client: TestClient, tenant: Tenant) -> None:
    answer = get(client, tenant, f"/v1/audiences/{2**63}/memberships")

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["source"] == {"parameter": "audienceId"}


def test_another_accounts_audience_is_not_found(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    vip = audience(client, other_tenant, "VIP")

    assert get(client, tenant, f"/v1/audiences/{vip}/memberships").status_code == 404
    assert get(client, tenant, f"/v1/audiences/{vip}/memberships/export").status_code == 404
