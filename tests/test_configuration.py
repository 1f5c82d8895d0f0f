"""One configuration for the server and every CLI command (participation/config.py,
core/settings.py): the settings file named by PARTICIPATION_CONFIG, production mode that never
falls back to SQLite, and `flask --app wsgi config show`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from participation import config
from participation.core.settings import ConfigError

from .conftest import postgres_url
from .support.live import ROOT, free_port
from .support.topology import fresh_database

KEY = "k" * 48
# What the tests' own environment may carry that would hide what the file says.
OURS = ("DATABASE_URL", "SECRET_KEY", "PARTICIPATION_CONFIG", "PARTICIPATION_ENV", "REDIS_URL",
        "SOCKETIO_CHANNEL", "SMTP_PASSWORD", "OIDC_CLIENT_SECRET", "MFA_ENCRYPTION_KEY")


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in OURS}
    return {**env, "SOCKETIO_ASYNC_MODE": "threading", **extra}


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


def settings_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "env"
    path.write_text(text)
    path.chmod(0o640)
    return path


@pytest.mark.postgres
@pytest.mark.slow
def test_the_cli_with_the_settings_file_writes_to_the_configured_postgresql(tmp_path):
    import psycopg
    from sqlalchemy.engine import make_url

    base = postgres_url()
    database = fresh_database(base, "settings_file")
    path = settings_file(tmp_path, f"# as /etc/participation/env\n\nDATABASE_URL={database}\n"
                                   f"SECRET_KEY='{KEY}'\n")
    env = clean_env(PARTICIPATION_CONFIG=str(path))
    for args in (("db", "upgrade"),
                 ("users", "create", "cli@conf.se", "--role", "admin",
                  "--password", "correct horse battery")):
        result = flask(env, *args)
        assert result.returncode == 0, result.stdout + result.stderr
    plain = make_url(database).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as conn:
        rows = conn.execute("SELECT email, role FROM users").fetchall()
    assert rows == [("cli@conf.se", "admin")]
    assert not (tmp_path / "instance").exists()


@pytest.mark.slow
def test_production_mode_without_database_url_stops_the_cli_with_what_to_set(tmp_path):
    path = settings_file(tmp_path, f"SECRET_KEY={KEY}\n")
    result = flask(clean_env(PARTICIPATION_CONFIG=str(path)), "db", "upgrade")
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr
    assert f"in {path}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_production_mode_without_database_url_or_key_stops_the_server(tmp_path):
    env = clean_env(PARTICIPATION_ENV="production", SOCKETIO_ASYNC_MODE="gevent",
                    HOST="127.0.0.1", PORT=str(free_port()))
    try:
        result = subprocess.run([sys.executable, "wsgi.py"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the server started without DATABASE_URL in production mode")
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe(48)" in result.stderr


@pytest.mark.slow
def test_config_show_names_origins_and_masks_secrets(tmp_path):
    path = settings_file(tmp_path, "\n".join([
        "DATABASE_URL=postgresql://app:db-pass-123@db.example/participation",
        f"SECRET_KEY={KEY}",
        "REDIS_URL=rediss://:redis-pass-456@redis.example:6380/2",
        "OIDC_CLIENT_SECRET=oidc-secret-789",
        "MFA_ENCRYPTION_KEY=mfa-key-000000",
        "RETENTION_DAYS=30",
        "PORT=5001",
    ]) + "\n")
    env = clean_env(PARTICIPATION_CONFIG=str(path), SMTP_PASSWORD="smtp-pass-321", PORT="5002")
    result = flask(env, "config", "show")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for secret in ("db-pass-123", "redis-pass-456", "oidc-secret-789", "mfa-key-000000",
                   "smtp-pass-321", KEY):
        assert secret not in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "Mode: production" in out
    assert "postgresql+psycopg://app:********@db.example/participation" in lines["DATABASE_URL"]
    assert lines["DATABASE_URL"].endswith(f"[file {path}]")
    assert "rediss://:********@redis.example:6380/2" in lines["REDIS_URL"]
    assert lines["RETENTION_DAYS"].split()[1] == "30"
    # The real environment wins over the file.
    assert lines["PORT"].split()[1] == "5002" and lines["PORT"].endswith("[environment]")
    assert lines["SMTP_PASSWORD"].endswith("[environment]")
    assert lines["INVITE_DAYS"].endswith("[default]")
    assert lines["SOCKETIO_CHANNEL"].split()[1].startswith("participation-")


def test_a_missing_or_unreadable_settings_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        config.load(tmp_path, {"PARTICIPATION_CONFIG": str(tmp_path / "missing")})
    if os.geteuid() != 0:  # root reads anything
        path = settings_file(tmp_path, f"SECRET_KEY={KEY}\n")
        path.chmod(0)
        with pytest.raises(ConfigError, match="permission denied"):
            config.load(tmp_path, {"PARTICIPATION_CONFIG": str(path)})


def test_the_file_format_is_strict_about_comments_after_values(tmp_path):
    path = settings_file(tmp_path, f"DATABASE_URL=sqlite://\nSECRET_KEY={KEY}   # keep safe\n")
    with pytest.raises(ConfigError, match="line 2: SECRET_KEY has a comment after its value"):
        config.load(tmp_path, {"PARTICIPATION_CONFIG": str(path)})
    path.write_text(f"DATABASE_URL=sqlite://\nSECRET_KEY=\"{KEY} #1\"\nnonsense\n")
    with pytest.raises(ConfigError, match="line 3: expected KEY=VALUE"):
        config.load(tmp_path, {"PARTICIPATION_CONFIG": str(path)})
    path.write_text(f"DATABASE_URL=sqlite://\nSECRET_KEY=\"{KEY} #1\"\nSMTP_HOST=$HOST\n")
    loaded = config.load(tmp_path, {"PARTICIPATION_CONFIG": str(path)})
    assert loaded["SECRET_KEY"] == f"{KEY} #1"
    assert loaded["SMTP_HOST"] == "$HOST"  # no shell expansion


def test_a_short_secret_key_is_refused_in_production(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is only 10 characters"):
        config.load(tmp_path, {"PARTICIPATION_ENV": "production",
                               "DATABASE_URL": "sqlite://", "SECRET_KEY": "0123456789"})


def test_the_embedded_default_still_needs_nothing(tmp_path):
    loaded = config.load(tmp_path, {})
    assert loaded["PARTICIPATION_ENV"] == "embedded"
    assert loaded["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'participation.db'}"
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_each_installation_has_its_own_socketio_channel_by_default(tmp_path):
    def channel(**env):
        return config.load(tmp_path, {"SECRET_KEY": KEY, **env})["SOCKETIO_CHANNEL"]

    one = channel(DATABASE_URL="postgresql://app:pw@db/one")
    assert one.startswith("participation-")
    assert one != channel(DATABASE_URL="postgresql://app:pw@db/two")
    # A new database password does not split one installation's processes.
    assert one == channel(DATABASE_URL="postgresql://app:new-pw@db/one")
    assert channel(DATABASE_URL="postgresql://app:pw@db/one", SOCKETIO_CHANNEL="x") == "x"
