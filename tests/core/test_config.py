"""Configuration errors reach the operator as one line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from directory.config import ConfigError
from directory.config import normalise_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "url",
    ["not a url", "mysql://root@localhost/db", "oracle://x"],
)
def test_bad_database_urls_are_refused(url):
    with pytest.raises(ConfigError):
        normalise_database_url(url)


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/db").startswith("postgresql+psycopg://")


@pytest.mark.parametrize(
    "url, expected",
    [
        ("nonsense", "DATABASE_URL is not a database URL"),
        ("postgresql://nobody@127.0.0.1:1/none", "cannot reach the database"),
    ],
)
def test_flask_cli_prints_one_line_for_a_bad_database_url(url, expected):
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_accessibility_statement_gives_the_operators_address(app, client, monkeypatch):
    from directory.config import from_environment

    monkeypatch.setenv("ACCESSIBILITY_CONTACT", "a11y@reseau-exemple.fr")
    assert from_environment(Path(app.instance_path))["ACCESSIBILITY_CONTACT"] == "a11y@reseau-exemple.fr"
    monkeypatch.setitem(app.config, "ACCESSIBILITY_CONTACT", "a11y@reseau-exemple.fr")
    assert "mailto:a11y@reseau-exemple.fr" in client.get("/accessibilite").get_data(as_text=True)
