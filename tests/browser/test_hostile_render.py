"""Hostile proposal titles in the real browser: typed into the phone's form and sent to the API,
then shown on the projector (pushed live and loaded fresh), another resident's phone and the
facilitator's console. None may run, none may add an element, every one reads as typed."""

import uuid

import pytest
import requests

from ..data import hostile
from .conftest import playwright_api

expect = playwright_api.expect
pytestmark = [pytest.mark.browser, pytest.mark.live]

# (Bidi overrides are refused before they are stored: tests/test_text_checks.py.)
PAYLOADS = hostile.BROWSER + [dict(hostile.TEMPLATE)["jinja-expression"],
                              dict(hostile.UNICODE)["fullwidth-brackets"]]
RENAME = dict(hostile.XSS)["svg-script"]
CARDS = {"phone": "#proposal-list", "projector": "#wall", "console": "#console-proposals"}

# What a payload could have added inside a proposal container, and whether any of it ran
# (the console has <details> of its own: an injected one would carry its ontoggle).
INSPECT = """(selector) => {
  const found = [];
  for (const box of document.querySelectorAll(selector)) {
    for (const el of box.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['script', 'img', 'svg', 'iframe', 'math', 'mglyph', 'style', 'body'].includes(tag)) {
        found.push('<' + tag + '>');
      }
      for (const attr of el.attributes) {
        if (attr.name.startsWith('on') || attr.name === 'autofocus') {
          found.push(tag + ' ' + attr.name);
        }
      }
    }
  }
  const text = [...document.querySelectorAll(selector)].map((box) => box.textContent);
  return {pwned: typeof window.__pwned, found, text: text.join('\\n')};
}"""


def assert_inert(page, where, selector, payloads):
    result = page.evaluate(INSPECT, selector)
    assert result["pwned"] == "undefined", f"{where}: a payload ran"
    assert not result["found"], f"{where}: injected {result['found']}"
    missing = [p for p in payloads if p not in result["text"]]
    assert not missing, f"{where}: not shown literally: {missing}"


def test_hostile_titles_stay_text_on_every_screen(live_server, phone, facilitator):
    event = live_server.create_event(title="Fientlig text")
    live_server.set_phase(event["id"], "collect")
    base = live_server.url
    projector = facilitator.new_page()
    projector.goto(f"{base}/events/{event['id']}/projector")
    console = facilitator.new_page()
    console.goto(f"{base}/events/{event['id']}/console")
    author = phone()
    author.goto(f"{base}/j/{event['code']}")

    typed, posted = PAYLOADS[::2], PAYLOADS[1::2]
    for title in typed:  # through the form, with its JavaScript
        author.fill("#title", title)
        author.click("#proposal-form button[type=submit]")
        expect(author.locator("#proposal-list .p-title", has_text=title)).to_have_count(1)
        # The push can show it before the ack arrives; the ack empties the form, so type the
        # next one only after that.
        expect(author.locator("#title")).to_have_value("")
    writer = live_server.phone(event["code"])
    ids = []
    for title in posted:
        response = writer.http.post(f"{base}/api/v1/events/{event['id']}/proposals",
                                    json={"title": title, "client_id": uuid.uuid4().hex})
        assert response.status_code == 201, response.text
        ids.append(response.json()["proposal"]["id"])

    expect(projector.locator("#wall > li")).to_have_count(len(PAYLOADS))
    assert_inert(projector, "projector (pushed)", CARDS["projector"], PAYLOADS)
    expect(console.locator("#console-proposals tr[data-proposal-id]")).to_have_count(len(PAYLOADS))
    assert_inert(console, "console (pushed)", CARDS["console"], PAYLOADS)
    assert_inert(author, "author's phone", CARDS["phone"], PAYLOADS)

    fresh = facilitator.new_page()
    fresh.goto(f"{base}/events/{event['id']}/projector")
    expect(fresh.locator("#wall > li")).to_have_count(len(PAYLOADS))
    assert_inert(fresh, "projector (loaded)", CARDS["projector"], PAYLOADS)
    neighbour = phone()
    neighbour.goto(f"{base}/j/{event['code']}")
    assert_inert(neighbour, "another phone", CARDS["phone"], PAYLOADS)
    fresh.goto(f"{base}/events/{event['id']}/console")
    assert_inert(fresh, "console (loaded)", CARDS["console"], PAYLOADS)

    # A moderator's rename reaches the open projector by push.
    response = requests.patch(f"{base}/api/v1/proposals/{ids[0]}", headers=live_server.auth(),
                              json={"title": RENAME, "body": "", "reason": "Stavfel"})
    assert response.status_code == 200, response.text
    renamed = [RENAME if title == posted[0] else title for title in PAYLOADS]
    expect(projector.locator("#wall")).to_contain_text(RENAME)
    assert_inert(projector, "projector (renamed)", CARDS["projector"], renamed)
    assert_inert(neighbour, "another phone (renamed)", CARDS["phone"], [])
