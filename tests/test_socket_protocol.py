"""The socket protocol's two tables stay whole: every domain event the code publishes has its
place in RELAYS, every push RELAYS makes is declared in PUSHES, every command is registered."""

import re
from pathlib import Path

from participation.extensions import socketio
from participation.live.socket import pushes
from participation.live.socket.commands import COMMANDS

ROOT = Path(__file__).resolve().parent.parent / "participation"


def published_names() -> set[str]:
    names = set()
    for path in ROOT.rglob("*.py"):
        names |= set(re.findall(r'publish\(\s*"([a-z_]+\.[a-z_]+)"', path.read_text()))
    return names


def test_every_published_domain_event_has_its_relay():
    names = published_names()
    assert len(names) >= 20 and "vote.changed" in names
    assert names <= set(pushes.RELAYS), names - set(pushes.RELAYS)
    assert not set(pushes.RELAYS) - names, "RELAYS lists events nothing publishes"


def test_every_push_sent_is_declared(monkeypatch, app):
    sent = []
    monkeypatch.setattr(pushes.socketio, "emit", lambda name, *_a, **_k: sent.append(name))
    for name in pushes.PUSHES:
        if pushes.PUSHES[name].room in pushes.ROOMS:
            fields = {f: None for f in pushes.PUSHES[name].fields}
            pushes.emit(name, 1, 1, **fields)
    assert set(sent) == {n for n, p in pushes.PUSHES.items() if p.room in pushes.ROOMS}
    source = "".join(p.read_text() for p in (ROOT / "live/socket").glob("*.py"))
    emitted = set(re.findall(r'emit\(\s*"(\w+)"', source))
    assert emitted <= set(pushes.PUSHES), emitted - set(pushes.PUSHES)


def test_every_command_is_a_registered_handler(app):
    registered = set(socketio.server.handlers["/"]) - {"connect", "disconnect"}
    assert registered == set(COMMANDS)
