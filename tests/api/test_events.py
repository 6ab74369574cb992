"""Custom events (SEMANTICS 12)."""

from starlette.testclient import TestClient

from tests.api.integration_client import call, profile
from tests.factories import Store, Tenant


def test_an_event_creates_its_profile_and_counts_as_activity(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    born = profile(client, key, "p1")

    answer = call(
        client,
        "POST",
        "/v2/events",
        key,
        {"profileId": "p1", "type": "pageViewed", "attributes": {"page": "/"}, "responseContent": ["event"]},
        silent="no",
    )
    other = call(client, "POST", "/v2/events", key, {"profileId": "p2", "type": "pageViewed"}, silent="no")

    assert answer.status == 200
    assert answer["customerProfile"]["lastActivity"] > born["lastActivity"]
    assert answer["event"]["type"] == "pageViewed"
    assert answer["event"]["attributes"] == {"page": "/"}
    assert other["customerProfile"]["integrationId"] == "p2"


def test_an_event_is_silent_by_default(client: TestClient, tenant: Tenant) -> None:
    answer = call(client, "POST", "/v2/events", tenant.sandbox_key, {"profileId": "p1", "type": "x"})

    assert (answer.status, answer.body) == (204, None)


def test_a_dry_event_changes_nothing(client: TestClient, tenant: Tenant, app_store: Store) -> None:
    key = tenant.sandbox_key
    born = profile(client, key, "p1")

    dry = call(client, "POST", "/v2/events", key, {"profileId": "p1", "type": "x"}, silent="no", dry="true")

    assert dry.status == 200
    assert profile(client, key, "p1") == born
    assert (
        call(client, "POST", "/v2/events", key, {"profileId": "ghost", "type": "x"}, dry="true").status == 204
    )
    assert (
        app_store.read(
            lambda tx: tx.profiles.get(account_id=tenant.account_id, sandbox=True, integration_id="ghost")
        )
        is None
    )


def test_built_in_types_and_missing_profiles_are_refused(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key

    built_in = call(client, "POST", "/v2/events", key, {"profileId": "p1", "type": "talon_session_closed"})
    no_profile = call(client, "POST", "/v2/events", key, {"type": "x"})
    empty_profile = call(client, "POST", "/v2/events", key, {"profileId": "", "type": "x"})

    assert (built_in.status, built_in["errors"][0]["source"]) == (400, {"pointer": "/type"})
    assert (no_profile.status, no_profile["errors"][0]["source"]) == (400, {"pointer": "/profileId"})
    assert (empty_profile.status, empty_profile["errors"][0]["source"]) == (400, {"pointer": "/profileId"})
