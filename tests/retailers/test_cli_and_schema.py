"""The operators' commands, and the migrated tables against the models."""

from __future__ import annotations

import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlmodel import SQLModel
from typer.testing import CliRunner

from core.db import engine_for
from core.settings import get_settings
from labeling.cli import app as cli

MINE = (
    "retailer",
    "receipt",
    "label_mark",
    "label_mark_lift",  # 0013
    "registry_secret",  # 0013
    "webhook_subscription",
    "webhook_event",
    "webhook_delivery",
    "webhook_attempt",
)


def test_the_migrated_tables_are_the_ones_the_models_declare(db_url: str) -> None:
    with engine_for(db_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
        connection.rollback()
    assert [d for d in differences if any(f"'{t}'" in repr(d) for t in MINE)] == []


def test_operators_open_use_and_close_a_retailer(
    db_url: str, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHATEM_DATABASE_URL", db_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        made = runner.invoke(cli, ["retailers", "create", "--name", "Fnac", "--country", "fr"])
        assert made.exit_code == 0, made.output
        code = re.search(r"Retailer (R-[0-9A-Z]{8})", made.output)
        token = re.search(r"(kht_\S+)", made.output)
        assert code and token
        headers = {"Authorization": f"Bearer {token.group(1)}"}
        me = client.get("/api/v1/retailers/me", headers=headers)
        assert me.json()["country"] == "FR" and me.json()["code"] == code.group(1)
        second = runner.invoke(cli, ["retailers", "key", "--code", code.group(1), "--name", "dock"])
        assert second.exit_code == 0 and "kht_" in second.output
        bad = runner.invoke(cli, ["retailers", "create", "--name", "X", "--country", "FRA"])
        assert bad.exit_code == 2
        closed = runner.invoke(cli, ["retailers", "disable", "--code", code.group(1)])
        assert closed.exit_code == 0
        assert client.get("/api/v1/retailers/me", headers=headers).status_code == 401
    finally:
        get_settings.cache_clear()
