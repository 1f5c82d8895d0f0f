"""A phone in Chromium through a graceful restart of its server (participation/shutdown.py).

The stop cuts each socket's transport instead of saying "disconnect" (after which
socket.io-client would never come back): the page must reconnect by itself, without a reload,
and a proposal written while the server was away must arrive once.
"""

import signal

import pytest
from playwright.sync_api import expect

from ..support.live import LiveServer
from .test_offline import join, outbox, titles_on_server

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def restartable(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("restart"))
    server.start(staff=(("fac@live.se", "facilitator"),))
    yield server
    server.stop()


def test_the_phone_comes_back_by_itself_after_a_graceful_restart(restartable, phone):
    event = restartable.create_event(title="Omstart", prompt="Vad behöver Ersboda?")
    restartable.set_phase(event["id"], "collect")
    page = phone()
    join(page, restartable, event)
    status = page.locator("#connection")
    expect(status).to_have_attribute("data-state", "connected")

    restartable.process.send_signal(signal.SIGTERM)
    assert restartable.process.wait(30) == 0
    expect(status).to_have_attribute("data-state", "reconnecting")
    # Written while the server is away: kept on the phone, not lost, not an error page.
    title = "Säkrare cykelpassage vid Ersbodaskolan"
    page.locator("#proposal-form [name=title]").fill(title)
    page.locator("#proposal-form button[type=submit]").click()
    expect(page.locator("#outbox-list li")).to_have_text([f"Förslag: {title}"])

    restartable.restart()
    # socket.io-client's back-off reaches at most 5 s between tries (static/js/live.js).
    expect(status).to_have_attribute("data-state", "connected", timeout=15000)
    expect(page.locator(".proposal.mine .p-title")).to_have_text(title)
    expect(page.locator("#outbox")).to_be_hidden()
    assert outbox(page, event) == []
    assert titles_on_server(restartable, event) == [title]
