"""Climate facts while proposing: the backlog's public measures like the text a resident types,
with status and tonnes, over REST and the socket; "support the measure" only where it is on
this event's budget ballot and that ballot still takes choices; the reviewer's link form lists
the measures most like the proposal first."""

import re
import secrets

from participation.backlog import operations
from participation.backlog.models import Measure
from participation.events.operations import change_phase
from participation.extensions import db
from participation.proposals.operations import submit_proposal

from .conftest import csrf_from, login
from .support.budget import add_measures, budget_voting

# (title, investment, reduction low, high), titles with no word in common.
MEASURES = (("Solceller på skolornas tak", 600_000, 80.0, 210.0),
            ("Cykelgarage vid stationen", 300_000, 20.0, 40.0),
            ("Laddstolpar i hyreshus", 500_000, 60.0, 90.0))
MATCH_KEYS = {"id", "title", "status", "reduction_low", "reduction_high", "url", "score",
              "on_ballot"}


def planned(measure_id):
    db.session.get(Measure, measure_id).status = "planned"
    db.session.commit()


def measure_hints(socket, title, body=""):
    ack = socket.call("similar", {"title": title, "body": body})
    assert ack["ok"], ack
    return ack["measures"]


def test_a_phone_sees_a_similar_measure_with_its_status_and_tonnes(room, app):
    sol, cykel, ladd = add_measures(MEASURES)
    planned(sol)
    workshop = room(phase="collect", voting=budget_voting([sol, cykel]))
    typist = workshop.phone()
    [hint] = measure_hints(typist, "Solceller på skolans tak")
    assert set(hint) == MATCH_KEYS
    assert (hint["id"], hint["title"], hint["status"]) == (sol, MEASURES[0][0], "planned")
    assert (hint["reduction_low"], hint["reduction_high"]) == (80.0, 210.0)
    assert hint["url"] == f"/atgarder/{sol}" and 0 < hint["score"] <= 1
    assert hint["on_ballot"] is True  # on this event's ballot, which opens when voting does
    # The public page the hint links to is there for anyone.
    assert app.test_client().get(hint["url"]).status_code == 200
    # A measure that is not on this ballot is shown, without "support the measure".
    [other] = measure_hints(typist, "Laddstolpar vid hyreshusen")
    assert (other["id"], other["status"], other["on_ballot"]) == (ladd, "idea", False)
    # Too short to compare, or not text: as for the proposals' hint.
    assert measure_hints(typist, "Sol") == []
    bad = typist.call("similar", {"title": ["Solceller"]})
    assert (bad["ok"], bad["error"]) == (False, "invalid_type")


def test_support_is_offered_only_while_this_events_ballot_takes_choices(room, staff):
    sol, cykel, ladd = add_measures(MEASURES)
    budget = room(phase="collect", voting=budget_voting([sol, cykel]))
    elsewhere = room(phase="collect", voting=budget_voting([ladd]))
    plain = room(phase="collect")
    text = "Solceller på skolans tak"
    on_ballot = {name: [m["on_ballot"] for m in measure_hints(r.phone(), text)]
                 for name, r in (("budget", budget), ("elsewhere", elsewhere), ("plain", plain))}
    assert on_ballot == {"budget": [True], "elsewhere": [False], "plain": [False]}
    phone = budget.phone()
    budget.to("vote")
    assert [m["on_ballot"] for m in measure_hints(phone, text)] == [True]
    budget.to("results")
    assert [m["on_ballot"] for m in measure_hints(phone, text)] == [False]


def test_rest_answers_measures_and_a_deleted_measure_is_gone_at_once(app, make_event, staff):
    sol, cykel, ladd = add_measures(MEASURES)
    event = make_event(voting=budget_voting([cykel]), phase="collect")
    phone = app.test_client()
    phone.get(f"/j/{event.code}")
    url = f"/api/v1/events/{event.id}/similar"

    def ask(title):
        answer = phone.get(url, query_string={"title": title})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return answer.get_json()

    body = ask("Cykelgarage vid stationen i centrum")
    assert set(body) == {"matches", "measures"} and body["matches"] == []
    [hint] = body["measures"]
    assert (hint["id"], hint["on_ballot"], hint["reduction_low"], hint["reduction_high"]) == (
        cykel, True, 20.0, 40.0)
    assert [m["id"] for m in ask("Solceller på skolans tak")["measures"]] == [sol]
    # Deleted: no longer public (its page is 404), and never suggested again.
    operations.delete_measure(staff.reviewer, sol)
    assert app.test_client().get(f"/atgarder/{sol}").status_code == 404
    assert ask("Solceller på skolans tak")["measures"] == []
    # Edited: the hint follows the measure's new words and tonnes.
    operations.update_measure(staff.reviewer, ladd, {"title": "Solpaneler på hyreshus",
                                                     "reduction_low": 5.0,
                                                     "reduction_high": 9.0})
    [edited] = ask("Solpaneler på hyreshusen")["measures"]
    assert (edited["id"], edited["title"], edited["reduction_high"]) == (
        ladd, "Solpaneler på hyreshus", 9.0)
    # Only residents of the event (and its staff) may ask, as for the proposals' hint.
    assert app.test_client().get(url, query_string={"title": "Solceller"}).status_code == 403


def test_a_hint_carries_only_a_measures_public_fields(room):
    [secretive] = add_measures([("Bergvärme i idrottshallen", 900_000, 30.0, 50.0)])
    measure = db.session.get(Measure, secretive)
    measure.owner, measure.co_benefits = "Fastighetsförvaltningen", "Tystare"
    db.session.commit()
    [hint] = measure_hints(room(phase="collect").phone(), "Bergvärme i idrottshallarna")
    assert set(hint) == MATCH_KEYS and hint["id"] == secretive


def test_the_link_form_lists_the_most_similar_measures_first(app, make_event, staff):
    sol, cykel, ladd = add_measures(MEASURES)
    event = make_event(phase="collect")
    pid = submit_proposal(event.id, secrets.token_urlsafe(32), "Fler laddstolpar vid hyreshusen",
                          "Många i hyreshus saknar laddning", secrets.token_hex(8))[
        "proposal"]["id"]
    change_phase(staff.facilitator, event.id, "vote")
    client = app.test_client()
    assert login(client, staff.reviewer).status_code in (302, 303)
    csrf_from(client.get("/events").get_data(as_text=True))
    page = client.get(f"/review/proposals/{pid}").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="measure_id"[^>]*>(.*?)</select>', page, re.S)
    assert select_html, "the link form's measure select"
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select_html.group(1),
                        re.S)
    ordered = {label: [int(v) for v in re.findall(r'value="(\d+)"', inner)]
               for label, inner in groups}
    # The one measure sharing words with the proposal first; the rest by title (C < S).
    assert ordered == {"Mest lik förslaget": [ladd], "Övriga åtgärder": [cykel, sol]}
    assert [int(v) for v in re.findall(r'value="(\d+)"', select_html.group(1))] == [
        ladd, cykel, sol]
