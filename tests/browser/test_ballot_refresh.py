"""Votes on a proposal that is hidden, then erased: the phone shows the server's new ballot.

The server gives a hidden proposal's votes back (proposals/moderation.py) and deletes the votes
on an erased one (participants/erase.py). The phone does not work that out itself: the
`proposal` push makes it ask for a fresh snapshot (static/js/phone.js), and it shows the
ballot in that snapshot.
"""

import uuid

import pytest
import requests
from playwright.sync_api import expect

from .resident import vote

pytestmark = [pytest.mark.browser, pytest.mark.live]


def synced(page) -> int:
    return int(page.locator("#phone").get_attribute("data-synced"))


def test_hidden_and_erased_proposals_redraw_the_servers_ballot(live_server, phone):
    event = live_server.create_event(title="Återbetalning",
                                     voting={"method": "dots", "dots": 3, "max_per_proposal": 2})
    live_server.set_phase(event["id"], "collect")
    other = live_server.phone(event["code"])
    made = [other.http.post(f"{live_server.url}/api/v1/events/{event['id']}/proposals",
                            json={"title": title, "client_id": uuid.uuid4().hex})
            for title in ("Fler bänkar", "Belysning i tunneln")]
    assert all(r.status_code == 201 for r in made), [r.text for r in made]
    hidden_id, erased_id = (r.json()["proposal"]["id"] for r in made)
    follow_url = made[0].json()["follow_url"]

    page = phone()
    page.goto(f"{live_server.url}/j/{event['code']}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    live_server.set_phase(event["id"], "vote")
    expect(page.locator("#phone")).to_have_attribute("data-phase", "vote")
    vote(page, str(hidden_id))
    vote(page, str(hidden_id))
    vote(page, str(erased_id))
    remaining = page.locator("#remaining")
    expect(remaining).to_have_text("0")
    before = synced(page)

    # Hidden: the server has given the two dots back; the phone shows the ballot it asks for.
    hidden = requests.post(f"{live_server.url}/api/v1/proposals/{hidden_id}/hide",
                           json={"reason": "Dubblett"}, headers=live_server.auth())
    assert hidden.status_code == 200, hidden.text
    expect(page.locator(f"#proposal-{hidden_id} .p-moderated")).to_be_visible()
    expect(remaining).to_have_text("2")
    assert synced(page) > before  # from a snapshot, not worked out on the phone
    item = page.locator(f"#proposal-{erased_id}")
    expect(item.locator(".my-dots")).to_have_text("1")
    expect(item.locator(".vote-button")).to_be_visible()

    # Erased by its author: gone from the list, and the dot on it is spendable again.
    before = synced(page)
    erased = other.http.post(f"{follow_url}/radera")
    assert erased.status_code == 200, erased.text
    expect(page.locator(f"#proposal-{erased_id}")).to_have_count(0)
    expect(remaining).to_have_text("3")
    assert synced(page) > before
