"""Tables at a medborgarverkstad: table cards seat phones, proposals carry their table, and
results come per table and overall."""

import re

import pytest

from participation.core.errors import OperationError
from participation.events.operations import change_phase
from participation.events.tables import set_table_count
from participation.extensions import db
from participation.participants import identity as participants
from participation.participants.operations import choose_table
from participation.web import identity

from .conftest import csrf_from, login


def seat(app, event, number):
    """A phone that scanned table `number`'s card, with its CSRF token."""
    http = app.test_client()
    response = http.get(f"/j/{event.code}/bord/{number}")
    assert response.status_code == 303
    page = http.get(response.headers["Location"]).get_data(as_text=True)
    return http, csrf_from(page), page


def propose(http, csrf, event, title):
    response = http.post(f"/api/v1/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                         json={"title": title, "client_id": f"table-{abs(hash(title))}"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["proposal"]


def test_table_card_seats_the_phone_and_proposals_carry_the_table(app, make_event, staff):
    event = make_event(phase="collect")
    set_table_count(staff.facilitator, event.id, 3)
    http, csrf, page = seat(app, event, 2)
    assert "Du sitter vid" in page and "Bord 2" in page
    proposal = propose(http, csrf, event, "Lånecyklar vid bord två")
    assert proposal["table"] == 2
    state = http.get(f"/api/v1/events/{event.id}/state").get_json()
    assert state["me"]["table"] == 2
    assert [t["name"] for t in state["event"]["tables"]] == ["Bord 1", "Bord 2", "Bord 3"]


def test_results_per_table_and_overall(app, make_event, staff):
    event = make_event(phase="collect")
    set_table_count(staff.facilitator, event.id, 2)
    one, csrf_one, _ = seat(app, event, 1)
    two, csrf_two, _ = seat(app, event, 2)
    a = propose(one, csrf_one, event, "Fler solpaneler")["id"]
    b = propose(two, csrf_two, event, "Mindre matsvinn")["id"]
    c = propose(two, csrf_two, event, "Bilfria söndagar")["id"]
    change_phase(staff.facilitator, event.id, "vote")
    for http, csrf, pid in ((one, csrf_one, c), (two, csrf_two, c), (two, csrf_two, a)):
        response = http.post(f"/api/v1/proposals/{pid}/votes", headers={"X-CSRFToken": csrf},
                             json={"client_id": f"vote-{pid}-{id(http)}"})
        assert response.status_code == 201
    change_phase(staff.facilitator, event.id, "results")
    api = app.test_client()
    auth = staff.auth(staff.reviewer)
    overall = api.get(f"/api/v1/events/{event.id}/results", headers=auth).get_json()
    table_two = api.get(f"/api/v1/events/{event.id}/results?table=2", headers=auth).get_json()
    assert [r["id"] for r in overall["results"]] == [c, a, b]
    assert [(r["id"], r["rank"]) for r in table_two["results"]] == [(c, 1), (b, 2)]
    state = two.get(f"/api/v1/events/{event.id}/state").get_json()
    assert [r["id"] for r in state["table_results"]["1"]] == [a]
    page = two.get(f"/j/{event.code}").get_data(as_text=True)
    assert "Ditt bord" in page and "Bilfria söndagar" in page
    reviewer = app.test_client()
    login(reviewer, staff.reviewer)
    review = reviewer.get(f"/review/events/{event.id}").get_data(as_text=True)
    assert len(re.findall(r'<h2 id="table-\d+-heading">Bord', review)) == 2
    csv = reviewer.get(f"/review/events/{event.id}/proposals.csv").get_data(as_text=True)
    assert csv.splitlines()[0].split(",")[5] == "table"


def test_tables_in_use_stay_and_bad_tables_are_refused(app, make_event, staff):
    event = make_event(phase="collect")
    set_table_count(staff.facilitator, event.id, 3)
    seat(app, event, 3)
    with pytest.raises(OperationError) as in_use:
        set_table_count(staff.facilitator, event.id, 2)
    assert in_use.value.code == "table_in_use"
    assert set_table_count(staff.facilitator, event.id, 5).tables[-1].number == 5
    with pytest.raises(OperationError) as forbidden:
        set_table_count(staff.other, event.id, 1)
    assert forbidden.value.code == "forbidden"
    for bad in (-1, 61, "3", True):
        with pytest.raises(OperationError):
            set_table_count(staff.facilitator, event.id, bad)
    with pytest.raises(OperationError) as unknown:
        choose_table(event.id, "some-token", 9)
    assert unknown.value.code == "unknown_table"
    http = app.test_client()
    response = http.get(f"/j/{event.code}/bord/9", follow_redirects=True)
    assert "Det finns inget sådant bord" in response.get_data(as_text=True)
    db.session.rollback()


def test_phone_picks_a_table_with_the_plain_form(app, make_event, staff):
    event = make_event(phase="lobby")
    set_table_count(staff.facilitator, event.id, 2)
    http = app.test_client()
    csrf = csrf_from(http.get(f"/j/{event.code}").get_data(as_text=True))
    response = http.post(f"/j/{event.code}/table", data={"csrf_token": csrf, "table": "1"})
    assert response.status_code == 303
    with http.session_transaction() as cookie:
        token = identity.token_for(event.id, cookie)
    db.session.rollback()
    participant = participants.find(event.id, token)
    assert participant.table_id == event.tables[0].id


def test_table_cards_print_view_has_a_qr_per_table(app, make_event, staff):
    event = make_event()
    set_table_count(staff.facilitator, event.id, 4)
    http = app.test_client()
    login(http, staff.facilitator)
    page = http.get(f"/events/{event.id}/tables/cards").get_data(as_text=True)
    assert page.count('class="table-print-card"') == 4
    assert page.count('scribe-print-card') == 4
    qr = http.get(f"/j/{event.code}/bord/4/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert http.get(f"/j/{event.code}/bord/5/qr.svg").status_code == 404


def test_results_for_a_table_that_does_not_exist_are_404(app, make_event, staff):
    event = make_event(phase="results")
    set_table_count(staff.facilitator, event.id, 1)
    api = app.test_client()
    for table in ("2", "x"):
        response = api.get(f"/api/v1/events/{event.id}/results?table={table}",
                           headers=staff.auth(staff.reviewer))
        assert (response.status_code, response.get_json()["error"]) == (404, "unknown_table")


def test_a_scribe_card_lets_one_phone_enter_the_tables_proposals(app, make_event, staff):
    from participation.events.models import Event
    from participation.proposals.models import Proposal

    event = make_event(phase="collect")
    set_table_count(staff.facilitator, event.id, 2)
    secret = db.session.get(Event, event.id).tables[1].scribe_token
    scribe = app.test_client()
    landing = scribe.get(f"/j/{event.code}/bord/2/skrivare/{secret}")
    assert landing.status_code == 303
    page = scribe.get(landing.headers["Location"]).get_data(as_text=True)
    assert "Bordets sekreterare, Bord 2" in page
    # Two forms on one page (the table's and the person's own): every id once, so each label
    # points at its own field ("Bordets förslag" once pointed at the personal title).
    # (Flask-WTF's hidden csrf_token input repeats per form; it has no label.)
    ids = [i for i in re.findall(r'\sid="([^"]+)"', page) if i != "csrf_token"]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'for="scribe-title"' in page and 'id="scribe-title"' in page
    csrf = csrf_from(page)
    response = scribe.post(f"/j/{event.code}/scribe",
                           data={"scribe-csrf_token": csrf,
                                 "scribe-title": "Bordets idé: fler pendelbussar"})
    assert response.status_code == 303
    db.session.rollback()  # this test's read began before the post: look again
    made = db.session.execute(db.select(Proposal).filter_by(
        title="Bordets idé: fler pendelbussar")).scalar_one()
    assert db.session.get(Event, event.id).tables[1].id == made.table_id
    api = scribe.post(f"/api/v1/events/{event.id}/scribe-proposals",
                      headers={"X-CSRFToken": csrf}, json={"title": "Bordets andra idé"})
    assert api.status_code == 201
    assert (api.get_json()["proposal"]["source"], api.get_json()["proposal"]["table"]) == (
        "scribe", 2)

    resident, resident_csrf, _ = seat(app, event, 2)
    refused = resident.post(f"/api/v1/events/{event.id}/scribe-proposals",
                            headers={"X-CSRFToken": resident_csrf}, json={"title": "Jag med"})
    assert (refused.status_code, refused.get_json()["error"]) == (403, "not_scribe")
    assert app.test_client().get(f"/j/{event.code}/bord/2/skrivare/wrong").status_code == 404
    cards = app.test_client()
    login(cards, staff.facilitator)
    sheet = cards.get(f"/events/{event.id}/tables/cards").get_data(as_text=True)
    assert sheet.count("scribe-print-card") == 2


def test_scribe_proposal_over_the_socket(app, room, staff):
    from participation.events.models import Event

    workshop = room()
    set_table_count(staff.facilitator, workshop.id, 1)
    secret = db.session.get(Event, workshop.id).tables[0].scribe_token
    http = app.test_client()
    landing = http.get(f"/j/{workshop.code}/bord/1/skrivare/{secret}")
    csrf = csrf_from(http.get(landing.headers["Location"]).get_data(as_text=True))
    scribe = workshop.connect(http, {"csrf_token": csrf, "event": workshop.id})
    ack = scribe.call("scribe_proposal", {"title": "Från bordets skrivare"})
    assert ack["ok"] and (ack["proposal"]["table"], ack["proposal"]["source"]) == (1, "scribe")
    resident = workshop.phone()
    refused = resident.call("scribe_proposal", {"title": "Inte skrivare"})
    assert (refused["ok"], refused["error"]) == (False, "not_scribe")


def test_scribe_proposals_are_marked_scribe_and_paper_ones_stay_paper(app, make_event, staff):
    """The scribe's proposal is the table's, like a paper note, but says where it came from:
    stored and shaped as "scribe", labelled "Från bordets sekreterare" on the phone, the
    console and the review pages, and exported as scribe; a paper note stays "paper"."""
    import csv
    import io

    from openpyxl import load_workbook

    from participation.events.models import Event
    from participation.proposals.models import Proposal
    from participation.proposals.paper import add_paper_proposal

    event = make_event(phase="collect")
    set_table_count(staff.facilitator, event.id, 2)
    secret = db.session.get(Event, event.id).tables[1].scribe_token
    scribe = app.test_client()
    landing = scribe.get(f"/j/{event.code}/bord/2/skrivare/{secret}")
    csrf = csrf_from(scribe.get(landing.headers["Location"]).get_data(as_text=True))
    assert scribe.post(f"/j/{event.code}/scribe", data={
        "scribe-csrf_token": csrf, "scribe-title": "Bordets idé"}).status_code == 303
    add_paper_proposal(staff.facilitator, event.id, "Lappens idé", table=1)
    db.session.rollback()
    stored = dict(db.session.execute(db.select(Proposal.title, Proposal.source)
                                     .where(Proposal.event_id == event.id)).all())
    assert stored == {"Bordets idé": "scribe", "Lappens idé": "paper"}

    def labels(html):
        return sorted(re.findall(r'class="[^"]*badge[^"]*">(Från [^<]+)</span>', html))

    both = ["Från bordets sekreterare", "Från papper"]
    phone = scribe.get(f"/j/{event.code}").get_data(as_text=True)
    assert labels(phone) == both
    state = scribe.get(f"/api/v1/events/{event.id}/state").get_json()
    assert sorted(p["source"] for p in state["proposals"]) == ["paper", "scribe"]

    console = app.test_client()
    login(console, staff.facilitator)
    rows = console.get(f"/events/{event.id}/console/proposals").get_data(as_text=True)
    assert labels(rows) == both

    review = app.test_client()
    login(review, staff.reviewer)
    assert labels(review.get(f"/review/events/{event.id}").get_data(as_text=True)) == both
    scribe_id = db.session.execute(db.select(Proposal.id).filter_by(
        title="Bordets idé")).scalar_one()
    detail = review.get(f"/review/proposals/{scribe_id}").get_data(as_text=True)
    assert "Från bordets sekreterare ·" in detail and "Från papper" not in detail

    exported = review.get(f"/review/events/{event.id}/proposals.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    assert {r["title"]: r["source"] for r in rows} == stored
    for fmt in ("json", "xlsx"):
        response = review.get(f"/review/proposals.{fmt}?event_id={event.id}")
        assert response.status_code == 200, fmt
        if fmt == "json":
            found = {r["title"]: r["source"] for r in response.get_json()["rows"]}
        else:
            sheet = load_workbook(io.BytesIO(response.data)).active
            header, *values = [list(row) for row in sheet.iter_rows(values_only=True)]
            found = {row[header.index("title")]: row[header.index("source")] for row in values}
        assert found == stored, fmt
