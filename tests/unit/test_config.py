"""Configuration comes from the environment only, with safe defaults."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from feedback.config import engine_options, load_config, normalise_database_url


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = load_config({}, str(tmp_path))["SECRET_KEY"]
    second = load_config({}, str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 48
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    other = tmp_path / "other"
    assert load_config({}, str(other))["SECRET_KEY"] != first, "never a fixed default"


def test_environment_secret_key_wins_and_no_file_is_written(tmp_path):
    config = load_config({"SECRET_KEY": "from-env"}, str(tmp_path))
    assert config["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_under_instance(tmp_path):
    config = load_config({"SECRET_KEY": "x"}, str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/feedback.db"
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["timeout"] >= 1
    assert config["REDIS_URL"] is None
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_postgres_urls_use_psycopg3_with_pre_ping(tmp_path):
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    config = load_config({"SECRET_KEY": "x", "DATABASE_URL": "postgresql://u@h/db"}, str(tmp_path))
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert engine_options("sqlite:///x.db")["connect_args"]["isolation_level"] == "IMMEDIATE"


def test_redis_url_drives_rate_limit_storage(tmp_path):
    config = load_config({"SECRET_KEY": "x", "REDIS_URL": "redis://127.0.0.1:6379/3"},
                         str(tmp_path))
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    assert config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True


def test_mail_settings_from_environment(tmp_path):
    config = load_config({"SECRET_KEY": "x", "MAIL_SERVER": "smtp.example.org", "MAIL_PORT": "587",
                          "MAIL_USE_TLS": "1", "SAFEGUARDING_ALERT_TO": "lead@example.org"},
                         str(tmp_path))
    assert (config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_USE_TLS"]) == (
        "smtp.example.org", 587, True)
    assert config["SAFEGUARDING_ALERT_TO"] == "lead@example.org"


def test_only_config_reads_the_environment():
    root = Path(__file__).resolve().parents[2] / "feedback"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if p.name != "config.py" and ("os.environ" in p.read_text() or "getenv(" in p.read_text())]
    assert offenders == []
