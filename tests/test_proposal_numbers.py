"""Proposals are numbered #1, #2, … within their event; ids stay global for links and the API."""

import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from participation.extensions import db
from participation.privacy.erase import erase_own_input
from participation.proposals.models import Proposal
from participation.proposals.operations import submit_proposal
from participation.proposals.paper import add_paper_proposal

from .conftest import join, login

BURST = 32


def _submit(event, token, title):
    return submit_proposal(event.id, token, title, "", uuid.uuid4().hex)["proposal"]


def test_numbers_start_at_one_in_every_event_whatever_the_ids(app, make_event, staff):
    first = make_event(phase="collect")
    for n in range(6):
        _submit(first, f"token-first-{n:02d}-xxxxxxxxxxxxxxxx", f"Förslag {n}")
    second = make_event(phase="collect", title="Nästa verkstad")
    one = _submit(second, "token-second-01-xxxxxxxxxxxxxxxx", "Cykelbanor")
    paper = add_paper_proposal(staff.facilitator, second.id, "Från papper")["proposal"]
    assert one["id"] == 7 and (one["number"], paper["number"]) == (1, 2)
    # The console lists them by number; links and forms keep the id.
    console = app.test_client()
    login(console, staff.facilitator)
    rows = console.get(f"/events/{second.id}/console/proposals").get_data(as_text=True)
    assert f'<tr id="row-{one["id"]}"' in rows
    assert '<td class="p-num">1</td>' in rows and '<td class="p-num">2</td>' in rows
    assert '<td class="p-num">7</td>' not in rows


def test_an_erased_number_is_not_given_again(app, make_event):
    event = make_event(phase="collect")
    phone = app.test_client()
    csrf = join(phone, event)
    answer = phone.post(f"/api/v1/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                        json={"title": "Mitt förslag", "client_id": uuid.uuid4().hex})
    assert answer.get_json()["proposal"]["number"] == 1
    erase_own_input(answer.get_json()["follow_url"].rsplit("/", 1)[-1])
    again = _submit(event, "token-other-0001-xxxxxxxxxxxxxxxx", "Ett annat")
    assert again["number"] == 2


def test_parallel_proposals_get_distinct_numbers(any_db_app, make_event, staff):
    """32 phones send at once: numbers 1..32, each once (the event's row is the counter, locked
    by every write; the unique (event_id, number) constraint would refuse a duplicate)."""
    event = make_event(phase="collect")
    phones = []
    for _ in range(BURST):
        client = any_db_app.test_client()
        phones.append((client, join(client, event)))

    def send(index):
        client, csrf = phones[index]
        with any_db_app.app_context():
            response = client.post(f"/api/v1/events/{event.id}/proposals",
                                   headers={"X-CSRFToken": csrf},
                                   json={"title": f"Förslag {index}",
                                         "client_id": f"race-number-{index:04d}"})
            db.session.remove()
            return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(send, range(BURST)))
    db.session.remove()
    assert [status for status, _ in results] == [201] * BURST, results
    numbers = sorted(body["proposal"]["number"] for _, body in results)
    assert numbers == list(range(1, BURST + 1))
    stored = db.session.scalars(select(Proposal.number).where(Proposal.event_id == event.id)
                                .order_by(Proposal.number)).all()
    assert stored == numbers
