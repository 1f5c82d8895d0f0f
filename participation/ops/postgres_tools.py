"""pg_dump and pg_restore for a DATABASE_URL: who to connect as (the password in the
environment, never on a command line another user could read in `ps`), and a version check."""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from sqlalchemy.engine import URL


class ToolError(Exception):
    """A message for the operator: what is wrong and what to do."""


@dataclass(frozen=True)
class Connection:
    conninfo: str  # libpq key=value string without the password: safe as an argument
    env: dict  # the process environment, PGPASSWORD included when the URL has a password


def _quote(value) -> str:
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def connection(url: URL) -> Connection:
    """libpq's parameters from SQLAlchemy's URL (psycopg hands the query string's keys, e.g.
    sslmode or a socket directory as host, to libpq as they are)."""
    # A key given twice in the query string comes as a tuple; libpq takes the last.
    params = {key: value[-1] if isinstance(value, tuple) else value
              for key, value in url.query.items() if key != "password"}
    for key, value in (("host", url.host), ("port", url.port), ("user", url.username),
                       ("dbname", url.database)):
        if value is not None:
            params[key] = value
    env = dict(os.environ)
    password = url.password or url.query.get("password")
    if isinstance(password, tuple):
        password = password[-1]
    if password:
        env["PGPASSWORD"] = str(password)
    conninfo = " ".join(f"{key}={_quote(value)}" for key, value in params.items())
    return Connection(conninfo, env)


def tool(name: str, server_major: int) -> str:
    """The path of pg_dump or pg_restore, or a ToolError that says what to install.

    A dump from an older pg_dump may miss what a newer server has, and pg_restore cannot read a
    newer dump: both must be at least the server's major version.
    """
    package = f"postgresql-client-{server_major} (Debian/Ubuntu; or postgresql-client)"
    path = shutil.which(name)
    if path is None:
        raise ToolError(f"{name} is not installed or not on PATH. Install {package}.")
    major = tool_major(path)
    if major < server_major:
        raise ToolError(f"{name} is version {major}, older than the server's {server_major}; "
                        f"it cannot safely handle this database. Install {package} and put "
                        f"its {name} first on PATH.")
    return path


def tool_major(path: str) -> int:
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out) or re.search(r"(\d+)\.\d+", out)
    if not match:
        raise ToolError(f"Cannot tell the version of {path} from: {out.strip()}")
    return int(match.group(1))


def server_major(connection) -> int:
    """From an SQLAlchemy connection: 150020 → 15."""
    return int(connection.exec_driver_sql("SHOW server_version_num").scalar()) // 10000
