"""Where each setting comes from: the real environment, else the settings file, else a default.

The file is named by one variable, PARTICIPATION_CONFIG (e.g. /etc/participation/env), and read
by create_app, so the server and every `flask --app wsgi …` command see the same settings: an
IT department runs `PARTICIPATION_CONFIG=/etc/participation/env flask --app wsgi db upgrade`
and it migrates the database the service uses, never a stray SQLite file.

The format is deliberately small: `KEY=VALUE` lines, blank lines, and `#` comments on their own
lines. No shell expansion, no `export`, no escapes; a value may be wrapped in matching single
or double quotes, which are removed. An unquoted value containing " #" is refused: a comment
after a value would otherwise silently become part of it (a password, a URL).
"""

import os
import re
from pathlib import Path

CONFIG_VARIABLE = "PARTICIPATION_CONFIG"
KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ConfigError(Exception):
    """A setting is missing or wrong: the message says what to set, and where."""


def parse(text: str, path: str) -> dict[str, str]:
    values = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        where = f"{path}, line {number}"
        if not sep or not KEY.fullmatch(key):
            raise ConfigError(f"{where}: expected KEY=VALUE, got {raw.strip()[:40]!r}")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value or "\t#" in value:
            raise ConfigError(f"{where}: {key} has a comment after its value. Put comments on "
                              "their own line (or quote the value if ' #' belongs to it).")
        values[key] = value
    return values


def read_file(path: str) -> dict[str, str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{CONFIG_VARIABLE}={path}: no such file.") from None
    except PermissionError:
        raise ConfigError(
            f"{CONFIG_VARIABLE}={path}: permission denied. The file should be "
            "root:participation with mode 0640; run commands as the service user "
            "(sudo -u participation …).") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{CONFIG_VARIABLE}={path}: cannot be read ({error}).") from None
    return parse(text, path)


class Settings:
    """The raw settings, looked up as config.load asks for them; remembers each name asked
    for, so `flask config show` lists every setting there is with where its value came from."""

    def __init__(self, environ=None):
        self.environ = dict(os.environ if environ is None else environ)
        self.path = self.environ.get(CONFIG_VARIABLE) or None
        self.file = read_file(self.path) if self.path else {}
        self.asked: list[str] = []

    def get(self, key: str, default=None):
        if key not in self.asked:
            self.asked.append(key)
        if key in self.environ:
            return self.environ[key]
        return self.file.get(key, default)

    def origin(self, key: str) -> str:
        if key in self.environ:
            return "environment"
        if key in self.file:
            return f"file {self.path}"
        return "default"
