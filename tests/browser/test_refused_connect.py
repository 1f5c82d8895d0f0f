"""A connect the server refuses for now (too many at once) is tried again by the page itself.

socket.io-client gives up on a connect the server refused; live.js comes back after the
`retry_after` the refusal names, so a venue reconnecting all at once is spread out, not lost.
This server allows each phone one connect and then one every 2 s.
"""

import pytest
from playwright.sync_api import expect

from ..support.live import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.live]

RECORD_STATES = """() => {
  window.__states = [];
  const node = document.getElementById('connection');
  new MutationObserver(() => window.__states.push(node.dataset.state))
    .observe(node, { attributes: true, attributeFilter: ['data-state'] });
}"""


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("limited"), {
        "SOCKET_RATELIMIT_ENABLED": "1",
        "SOCKET_CONNECT_BURST_PER_SESSION": "1",
        "SOCKET_CONNECT_RATE_PER_SESSION": "0.5",
    })
    server.start(staff=(("fac@live.se", "facilitator"),))
    yield server
    server.stop()


def test_a_refused_reconnect_comes_back_after_the_wait_it_was_given(limited_server, phone):
    event = limited_server.create_event(title="Fullsatt")
    limited_server.set_phase(event["id"], "collect")
    page = phone()
    page.goto(f"{limited_server.url}/j/{event['code']}")
    status = page.locator("#connection")
    expect(status).to_have_attribute("data-state", "connected")
    page.evaluate(RECORD_STATES)

    # Off and on again at once: the phone's one connect is spent, so the server refuses it.
    page.context.set_offline(True)
    expect(status).to_have_attribute("data-state", "offline")
    page.context.set_offline(False)
    expect(status).to_have_attribute("data-state", "connected", timeout=15_000)
    states = page.evaluate("window.__states")
    assert "reconnecting" in states, states  # it was refused, and waited
    assert "refused" not in states, states

    # Connected again for real: a write goes through and is answered.
    page.fill("#title", "Fler cykelställ vid biblioteket")
    page.click("#proposal-form button[type=submit]")
    expect(page.locator("#proposal-list .p-title",
                        has_text="Fler cykelställ vid biblioteket")).to_have_count(1)
    expect(page.locator("#title")).to_have_value("")
