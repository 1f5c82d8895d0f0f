"""People without a phone: paper proposals for a table and hand counts, kept apart."""

import pytest

from participation.core.errors import OperationError
from participation.events.operations import change_phase
from participation.events.tables import set_table_count
from participation.proposals import moderation
from participation.proposals.paper import add_paper_proposal, set_hand_count
from participation.proposals.ranking import ranked, tallies

from .conftest import csrf_from, login


def test_paper_proposal_for_a_table_is_marked_and_pushed(room, staff):
    workshop = room()
    set_table_count(staff.facilitator, workshop.id, 2)
    phone = workshop.phone()
    phone.forget()
    result = add_paper_proposal(staff.facilitator, workshop.id, "Bänkar i parken",
                                "Skrivet på lapp vid bord 2", table=2)
    assert (result["proposal"]["source"], result["proposal"]["table"]) == ("paper", 2)
    (push,) = phone.received("proposal")
    assert push["proposal"]["source"] == "paper"
    with pytest.raises(OperationError) as not_staff:
        add_paper_proposal(staff.other, workshop.id, "Fel person")
    assert not_staff.value.code == "forbidden"
    with pytest.raises(OperationError) as no_table:
        add_paper_proposal(staff.facilitator, workshop.id, "Bord 9", table=9)
    assert no_table.value.code == "unknown_table"


def test_hand_count_adds_people_not_dots_and_stays_visible(app, make_event, staff):
    event = make_event(voting={"method": "dots", "dots": 3, "max_per_proposal": 3},
                       phase="collect")
    pid = add_paper_proposal(staff.facilitator, event.id, "Fler träd")["proposal"]["id"]
    change_phase(staff.facilitator, event.id, "vote")
    phone = app.test_client()
    csrf = csrf_from(phone.get(f"/j/{event.code}").get_data(as_text=True))
    phone.post(f"/api/v1/proposals/{pid}/votes", headers={"X-CSRFToken": csrf},
               json={"client_id": "phone-vote-1", "dots": 2})
    set_hand_count(staff.facilitator, pid, 7)
    set_hand_count(staff.facilitator, pid, 5)  # a recount replaces, never adds
    assert tallies(event.id)[pid] == {"votes": 6, "dots": 2, "paper_votes": 5}
    (row,) = ranked(event)
    assert (row["votes"], row["paper_votes"], row["dots"]) == (6, 5, 2)
    log = moderation.moderation_log(event.id)
    assert [(e["action"], e["reason"]) for e in log] == [("count", "0 → 7"), ("count", "7 → 5")]
    for bad in (-1, "5", 2.0, None):
        with pytest.raises(OperationError) as refused:
            set_hand_count(staff.facilitator, pid, bad)
        assert refused.value.code == "invalid_count"


def test_paper_input_over_rest_and_console_forms(app, make_event, staff):
    event = make_event(phase="collect")
    api = app.test_client()
    created = api.post(f"/api/v1/events/{event.id}/paper-proposals",
                       headers=staff.auth(staff.facilitator), json={"title": "Lapp 1"})
    assert created.status_code == 201
    pid = created.get_json()["proposal"]["id"]
    counted = api.put(f"/api/v1/proposals/{pid}/hand-count",
                      headers=staff.auth(staff.facilitator), json={"count": 4})
    assert counted.get_json()["paper_votes"] == 4
    refused = api.put(f"/api/v1/proposals/{pid}/hand-count",
                      headers=staff.auth(staff.facilitator), json={"count": "fyra"})
    assert (refused.status_code, refused.get_json()["error"]) == (400, "invalid_count")

    console = app.test_client()
    login(console, staff.facilitator)
    csrf = csrf_from(console.get(f"/events/{event.id}/console").get_data(as_text=True))
    assert console.post(f"/events/{event.id}/paper",
                        data={"csrf_token": csrf, "title": "Lapp 2"}).status_code == 302
    assert console.post(f"/events/{event.id}/proposals/{pid}/count",
                        data={"csrf_token": csrf, "count": "9"}).status_code == 302
    rows = console.get(f"/events/{event.id}/console/proposals").get_data(as_text=True)
    assert "Lapp 2" in rows and rows.count("Från papper") == 2 and 'value="9"' in rows
    csv = console.get(f"/review/events/{event.id}/proposals.csv").get_data(as_text=True)
    header = csv.lstrip("\ufeff").splitlines()[0].split(",")
    assert "source" in header and "paper_votes" in header
