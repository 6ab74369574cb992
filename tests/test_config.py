"""Settings from the environment: PATRON_<FIELD> in any case, keyword arguments first."""

import dataclasses
import os

import pytest

from patron.config import ConfigError, Settings


@pytest.fixture(autouse=True)
def _no_patron_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper().startswith("PATRON_"):
            monkeypatch.delenv(name)


def test_without_variables_every_field_has_its_default() -> None:
    settings = Settings()

    assert settings.database_url == "sqlite:///patron.db"
    assert (settings.lock_timeout_seconds, settings.pool_size, settings.max_body_bytes) == (5.0, 20, 5242880)
    assert (settings.emulate_talon_concurrency_limit, settings.sqlite_synchronous) == (False, "NORMAL")


def test_variables_are_read_in_any_case_and_validated_from_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", "postgresql://db/patron")
    monkeypatch.setenv("patron_pool_size", "30")
    monkeypatch.setenv("Patron_Lock_Timeout_Seconds", "0.5")
    monkeypatch.setenv("PATRON_EMULATE_TALON_CONCURRENCY_LIMIT", "true")
    monkeypatch.setenv("PATRON_SQLITE_SYNCHRONOUS", "FULL")
    monkeypatch.setenv("PATRON_UNKNOWN_THING", "ignored")

    settings = Settings()

    assert settings.database_url == "postgresql://db/patron"
    assert (settings.pool_size, settings.lock_timeout_seconds) == (30, 0.5)
    assert (settings.emulate_talon_concurrency_limit, settings.sqlite_synchronous) == (True, "FULL")


def test_keyword_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", "postgresql://db/patron")

    assert Settings(database_url="sqlite://").database_url == "sqlite://"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PATRON_POOL_SIZE", "0"),
        ("PATRON_LOCK_TIMEOUT_SECONDS", "soon"),
        ("PATRON_SQLITE_SYNCHRONOUS", "OFF"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(ConfigError, match=name.removeprefix("PATRON_").lower()):
        Settings()


def test_settings_are_frozen_and_take_no_unknown_argument() -> None:
    settings = Settings()

    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.pool_size = 3  # type: ignore[misc]
    with pytest.raises(TypeError, match="pool_sizes"):
        Settings(pool_sizes=3)  # type: ignore[call-arg]


def test_additional_cost_names_are_read_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().additional_cost_names == frozenset()

    monkeypatch.setenv("PATRON_ADDITIONAL_COST_NAMES", " shipping, gift wrap ,,")

    assert Settings().additional_cost_names == frozenset({"shipping", "gift wrap"})
