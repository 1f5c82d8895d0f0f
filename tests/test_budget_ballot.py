"""The budget ballot: configuration, the one write (phase, budget, ballot, replace, replay),
its REST, socket and no-JS paths, and the results with Equal Shares and greedy alongside."""

import re
import uuid

import pytest
from sqlalchemy import select

from participation.budgets.models import BudgetChoice
from participation.budgets.operations import submit_budget_ballot
from participation.core.errors import OperationError
from participation.events.models import BallotMeasure, Event
from participation.events.operations import change_phase, create_event
from participation.extensions import db

from .conftest import join
from .support.budget import BUDGET, add_measures, budget_voting


def new_id() -> str:
    return uuid.uuid4().hex


def stored(event_id) -> dict[int, set[int]]:
    db.session.remove()
    ballots: dict[int, set[int]] = {}
    for participant_id, measure_id in db.session.execute(
            select(BudgetChoice.participant_id, BudgetChoice.measure_id)
            .where(BudgetChoice.event_id == event_id)):
        ballots.setdefault(participant_id, set()).add(measure_id)
    return ballots


@pytest.fixture
def measures(app):
    return add_measures()


@pytest.fixture
def budget_event(make_event, measures):
    return make_event(voting=budget_voting(measures), phase="vote")


def token() -> str:
    return "tok-" + new_id()


# --- configuration -------------------------------------------------------------------------


def test_budget_event_stores_its_ballot_in_order_with_the_costs_of_the_day(make_event, measures):
    event = make_event(voting=budget_voting([measures[2], measures[0]]))
    assert event.voting_method == "budget" and event.budget_sek == BUDGET
    rows = db.session.scalars(select(BallotMeasure).where(BallotMeasure.event_id == event.id)
                              .order_by(BallotMeasure.position)).all()
    assert [(r.measure_id, r.position, r.cost_sek) for r in rows] == [
        (measures[2], 1, 500_000), (measures[0], 2, 600_000)]
    assert event.voting_dict() == {"method": "budget", "budget_sek": BUDGET,
                                   "measure_ids": [measures[2], measures[0]]}


@pytest.mark.parametrize(("voting", "code", "field"), [
    ({"budget_sek": 0}, "invalid_budget", "budget_sek"),
    ({"budget_sek": 10_000_000_001}, "invalid_budget", "budget_sek"),
    ({"budget_sek": True}, "invalid_budget", "budget_sek"),
    ({"budget_sek": "1000"}, "invalid_budget", "budget_sek"),
    ({"measure_ids": []}, "invalid_measures", "measure_ids"),
    ({"measure_ids": "1,2"}, "invalid_measures", "measure_ids"),
    ({"measure_ids": list(range(1, 32))}, "invalid_measures", "measure_ids"),
    ({"dup": True}, "duplicate_measure", "measure_ids"),
    ({"measure_ids": [999_999]}, "invalid_measure", "measure_ids"),
])
def test_budget_configuration_is_refused_with_a_field(staff, measures, voting, code, field):
    config = budget_voting(measures)
    if voting.pop("dup", False):
        config["measure_ids"] = [measures[0], measures[0]]
    config.update(voting)
    with pytest.raises(OperationError) as refused:
        create_event(staff.facilitator, "Budget", "Vad ska vi köpa?", "radslag", config)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert db.session.scalar(select(Event.id)) is None


def test_rejected_or_costless_measures_cannot_be_on_a_ballot(staff, app):
    [rejected] = add_measures([("Avvisad", 100, 1.0, 2.0)], status="rejected",
                              rejected_reason="Utanför kommunens rådighet")
    [free] = add_measures([("Gratis", 0, 1.0, 2.0)])
    for measure_id in (rejected, free):
        with pytest.raises(OperationError) as refused:
            create_event(staff.facilitator, "Budget", "Vad?", "radslag",
                         budget_voting([measure_id]))
        assert refused.value.code == "invalid_measure"
        assert str(measure_id) in str(refused.value.message)


def test_a_measure_on_a_ballot_cannot_be_deleted(staff, budget_event, measures):
    from participation.backlog.operations import delete_measure
    with pytest.raises(OperationError) as refused:
        delete_measure(staff.admin, measures[0])
    assert refused.value.code == "measure_on_ballot" and refused.value.status == 409


# --- the write -----------------------------------------------------------------------------


def test_ballot_within_budget_is_stored_and_replaces_the_earlier_one(budget_event, measures):
    me = token()
    first = submit_budget_ballot(budget_event.id, me, [measures[1], measures[0]], new_id())
    assert first["measure_ids"] == [measures[0], measures[1]]  # ballot order
    assert (first["spent_sek"], first["remaining_sek"]) == (900_000, 100_000)
    second = submit_budget_ballot(budget_event.id, me, [measures[2]], new_id())
    assert second["measure_ids"] == [measures[2]] and second["version"] > first["version"]
    assert list(stored(budget_event.id).values()) == [{measures[2]}]
    cleared = submit_budget_ballot(budget_event.id, me, [], new_id())
    assert cleared["spent_sek"] == 0 and stored(budget_event.id) == {}


def test_over_budget_is_refused_and_nothing_changes(budget_event, measures):
    me = token()
    submit_budget_ballot(budget_event.id, me, [measures[1]], new_id())
    with pytest.raises(OperationError) as refused:
        submit_budget_ballot(budget_event.id, me, [measures[0], measures[2]], new_id())
    assert (refused.value.code, refused.value.status, refused.value.field) == (
        "over_budget", 409, "measure_ids")
    assert list(stored(budget_event.id).values()) == [{measures[1]}]


def test_a_measure_not_on_the_ballot_is_refused(make_event, measures):
    event = make_event(voting=budget_voting(measures[:2]), phase="vote")
    with pytest.raises(OperationError) as refused:
        submit_budget_ballot(event.id, token(), [measures[2]], new_id())
    assert (refused.value.code, refused.value.status) == ("not_on_ballot", 400)
    assert stored(event.id) == {}


@pytest.mark.parametrize("phase", ["lobby", "collect", "results"])
def test_ballot_only_in_the_vote_phase(make_event, measures, phase):
    event = make_event(voting=budget_voting(measures), phase=phase)
    with pytest.raises(OperationError) as refused:
        submit_budget_ballot(event.id, token(), [measures[0]], new_id())
    assert refused.value.code == "wrong_phase" and refused.value.status == 409
    assert stored(event.id) == {}


def test_ballot_needs_a_joined_person_and_a_budget_event(make_event, budget_event, measures):
    with pytest.raises(OperationError) as refused:
        submit_budget_ballot(budget_event.id, None, [measures[0]], new_id())
    assert refused.value.code == "not_joined"
    approval = make_event(phase="vote")
    with pytest.raises(OperationError) as refused:
        submit_budget_ballot(approval.id, token(), [], new_id())
    assert refused.value.code == "not_budget"


@pytest.mark.parametrize("ids", [[0], [True], ["x"], [1.5], "1", None])
def test_bad_measure_ids_are_refused(budget_event, ids):
    with pytest.raises(OperationError) as refused:
        submit_budget_ballot(budget_event.id, token(), ids, new_id())
    assert refused.value.code == "invalid_measures" and refused.value.field == "measure_ids"


def test_a_retry_is_replayed_and_changes_nothing(budget_event, measures):
    me, key = token(), new_id()
    first = submit_budget_ballot(budget_event.id, me, [measures[0]], key)
    submit_budget_ballot(budget_event.id, me, [measures[1]], new_id())
    again = submit_budget_ballot(budget_event.id, me, [measures[0]], key)
    assert again == {**first, "replayed": True}
    assert list(stored(budget_event.id).values()) == [{measures[1]}]


# --- REST, socket and form -----------------------------------------------------------------


def test_rest_ballot_answers_and_refuses(app, budget_event, measures):
    phone = app.test_client()
    headers = {"X-CSRFToken": join(phone, budget_event)}
    url = f"/api/v1/events/{budget_event.id}/budget-ballot"
    ok = phone.post(url, json={"measure_ids": [measures[0]], "client_id": "rest-ballot-1"},
                    headers=headers)
    assert ok.status_code == 200 and ok.get_json()["remaining_sek"] == 400_000
    replay = phone.post(url, json={"measure_ids": [measures[0]], "client_id": "rest-ballot-1"},
                        headers=headers)
    assert replay.get_json()["replayed"] is True
    over = phone.post(url, json={"measure_ids": measures, "client_id": "rest-ballot-2"},
                      headers=headers)
    assert over.status_code == 409
    assert over.get_json()["error"] == "over_budget"
    assert over.get_json()["field"] == "measure_ids"
    assert list(stored(budget_event.id).values()) == [{measures[0]}]


def test_socket_command_runs_the_same_write(room, measures):
    workshop = room(phase="vote", voting=budget_voting(measures))
    phone, staff_socket = workshop.phone(), workshop.facilitator()
    staff_socket.forget()
    ack = phone.call("budget_ballot", {"measure_ids": [measures[0], measures[1]],
                                       "client_id": new_id()})
    assert ack["ok"] is True and ack["spent_sek"] == 900_000
    over = phone.call("budget_ballot", {"measure_ids": measures, "client_id": new_id()})
    assert (over["ok"], over["error"], over["field"]) == (False, "over_budget", "measure_ids")
    [push] = staff_socket.received("budget")[-1:]
    assert sorted(push["budget"]["funded"]) == [measures[0], measures[1]]
    assert push["budget"]["spent_sek"] == 900_000


CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def test_no_js_form_saves_the_ballot_and_says_when_it_is_over_budget(app, budget_event,
                                                                      measures):
    phone = app.test_client()
    page = phone.get(f"/j/{budget_event.code}").get_data(as_text=True)
    assert "Spara mina val" in page and "Kvar av budgeten" in page
    assert "ungefär 120–200 ton CO₂e per år" in page
    csrf = CSRF_FIELD.search(page).group(1)
    url = f"/j/{budget_event.code}/budget"
    over = phone.post(url, data={"csrf_token": csrf, "client_id": new_id(),
                                 "measure_ids": [str(m) for m in measures]},
                      follow_redirects=True)
    text = over.get_data(as_text=True)
    assert "kostar mer än budgeten" in text and "inget sparades" in text.lower()
    assert stored(budget_event.id) == {}
    saved = phone.post(url, data={"csrf_token": csrf, "client_id": new_id(),
                                  "measure_ids": [str(measures[0])]}, follow_redirects=True)
    assert saved.status_code == 200
    assert list(stored(budget_event.id).values()) == [{measures[0]}]
    page = saved.get_data(as_text=True)
    assert re.search(rf'value="{measures[0]}"[^>]*checked', page)


# --- results -------------------------------------------------------------------------------


def test_results_show_equal_shares_with_greedy_alongside(app, staff, make_event):
    # Six want the big one, four the two small ones: greedy gives the majority everything,
    # Equal Shares gives the minority its proportional part (docs/budget.md).
    big, small_a, small_b = add_measures((("Stor", 700_000, 100.0, 150.0),
                                          ("Liten A", 300_000, 30.0, 50.0),
                                          ("Liten B", 300_000, 20.0, 40.0)))
    event = make_event(voting=budget_voting([big, small_a, small_b]), phase="vote")
    for _ in range(6):
        submit_budget_ballot(event.id, token(), [big, small_b], new_id())
    for _ in range(4):
        submit_budget_ballot(event.id, token(), [small_a, small_b], new_id())
    client = app.test_client()
    answer = client.get(f"/api/v1/events/{event.id}/results",
                        headers=staff.auth(staff.facilitator)).get_json()
    budget = answer["budget"]
    assert budget["rule"] == "equal_shares" and budget["voters"] == 10
    assert budget["funded"] == [small_b, small_a] and budget["spent_sek"] == 600_000
    assert budget["greedy_funded"] == [small_b, big]
    rows = {row["id"]: row for row in budget["measures"]}
    assert rows[small_b]["supporters"] == 10 and rows[small_b]["funded"] is True
    assert rows[big]["funded"] is False and rows[big]["cost_sek"] == 700_000
    assert (budget["reduction_low"], budget["reduction_high"]) == (50.0, 90.0)
    assert [row["id"] for row in budget["measures"]][0] == small_b  # most supporters first


def test_public_outcome_waits_for_the_results_phase(app, staff, budget_event, measures):
    phone = app.test_client()
    headers = {"X-CSRFToken": join(phone, budget_event)}
    phone.post(f"/api/v1/events/{budget_event.id}/budget-ballot",
               json={"measure_ids": [measures[0]], "client_id": "public-wait-1"},
               headers=headers)
    state = phone.get(f"/api/v1/events/{budget_event.id}/state").get_json()
    assert "budget_results" not in state
    page = phone.get(f"/j/{budget_event.code}").get_data(as_text=True)
    assert '<p class="budget-summary"></p>' in page and "600 000 av" not in page
    assert [m["id"] for m in state["budget"]["measures"]] == measures
    assert state["me"]["budget_choice"] == [measures[0]]
    change_phase(staff.facilitator, budget_event.id, "results")
    state = phone.get(f"/api/v1/events/{budget_event.id}/state").get_json()
    assert state["budget_results"]["funded"] == [measures[0]]
    page = phone.get(f"/j/{budget_event.code}").get_data(as_text=True)
    assert "Finansieras med lika andelar: 600 000 av 1 000 000 kr." in page
    assert "Solceller på skolorna" in page


def test_erasing_ones_input_erases_ones_budget_ballot(app, staff, make_event, measures):
    event = make_event(voting=budget_voting(measures), phase="collect")
    phone = app.test_client()
    headers = {"X-CSRFToken": join(phone, event)}
    submitted = phone.post(f"/api/v1/events/{event.id}/proposals",
                           json={"title": "Solceller på alla skolor", "client_id": new_id()},
                           headers=headers).get_json()
    change_phase(staff.facilitator, event.id, "vote")
    other = token()
    submit_budget_ballot(event.id, other, [measures[2]], new_id())
    saved = phone.post(f"/api/v1/events/{event.id}/budget-ballot",
                       json={"measure_ids": measures[:2], "client_id": new_id()},
                       headers=headers)
    assert saved.status_code == 200
    code = submitted["follow_url"].rstrip("/").rsplit("/", 1)[-1]
    erased = phone.post(f"/api/v1/follow/{code}/erase", headers=headers)
    assert erased.status_code == 200 and erased.get_json()["votes"] == 2
    assert list(stored(event.id).values()) == [{measures[2]}]  # the other person's stays


@pytest.mark.parametrize("phase", ["lobby", "collect", "vote", "results", "closed"])
def test_staff_and_public_pages_of_a_budget_event_render_in_every_phase(app, staff, make_event,
                                                                          measures, phase):
    from .conftest import login
    event = make_event(voting=budget_voting(measures), phase=phase)
    facilitator = app.test_client()
    login(facilitator, staff.facilitator)
    for path in (f"/events/{event.id}/console", f"/events/{event.id}/console/proposals",
                 f"/events/{event.id}/projector", f"/j/{event.code}"):
        assert facilitator.get(path).status_code == 200, path
    assert app.test_client().get(f"/j/{event.code}").status_code == 200


def _row_of(page: str, title: str) -> list[str]:
    """The cells of the outcome table's row for one measure, as text."""
    row = page.split(f">{title}</a></th>", 1)[1].split("</tr>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def _card_of(page: str, title: str) -> tuple[str, list[str]]:
    """A measure's card on the public page: its figures line and the two rules' verdicts."""
    card = page.split(f">{title}</a></h4>", 1)[1].split("</li>", 1)[0]
    figures = re.sub(r"\s+", " ", re.search(r"<p>(.*?)</p>", card, re.S)[1]).strip()
    verdicts = [re.sub(r"<[^>]+>", "", v).strip()
                for v in re.findall(r"<dd>(.*?)</dd>", card, re.S)]
    return figures, verdicts


def test_public_page_and_review_show_equal_shares_and_greedy_side_by_side(app, staff,
                                                                          make_event):
    big, small_a, small_b = add_measures((("Stor", 700_000, 100.0, 150.0),
                                          ("Liten A", 300_000, 30.0, 50.0),
                                          ("Liten B", 300_000, 20.0, 40.0)))
    event = make_event(voting=budget_voting([big, small_a, small_b]), phase="vote")
    for _ in range(6):
        submit_budget_ballot(event.id, token(), [big, small_b], new_id())
    for _ in range(4):
        submit_budget_ballot(event.id, token(), [small_a, small_b], new_id())
    public = app.test_client()
    # While the vote runs: the ballot and its costs, nothing about what is funded.
    page = public.get(f"/offentligt/{event.code}").get_data(as_text=True)
    assert "Liten A</a> · 300 000 kr" in page and "Finansieras" not in page
    rest = public.get(f"/api/v1/public/events/{event.code}").get_json()
    assert rest["budget_results"] is None
    assert [m["id"] for m in rest["budget"]["measures"]] == [big, small_a, small_b]
    change_phase(staff.facilitator, event.id, "results")
    page = public.get(f"/offentligt/{event.code}").get_data(as_text=True)
    assert "10 personer valde åtgärder." in page
    assert "Finansieras med lika andelar: 600 000 av 1 000 000 kr." in page
    # Equal Shares | greedy: the majority's big measure only under greedy, the minority's
    # small one only under Equal Shares; the one everyone wants under both.
    assert _card_of(page, "Stor") == ("700 000 kr · 100–150 ton CO₂e/år · 6 anhängare",
                                      ["Finansieras inte", "Finansieras"])
    assert _card_of(page, "Liten A") == ("300 000 kr · 30–50 ton CO₂e/år · 4 anhängare",
                                         ["Finansieras", "Finansieras inte"])
    assert _card_of(page, "Liten B")[1] == ["Finansieras", "Finansieras"]
    assert ("Lika andelar använder 600 000 kr; flest röster först skulle använda "
            "1 000 000 kr.") in page
    rest = public.get(f"/api/v1/public/events/{event.code}").get_json()
    assert rest["budget_results"]["funded"] == [small_b, small_a]
    assert rest["budget_results"]["greedy_funded"] == [small_b, big]
    from .conftest import login
    reviewer = app.test_client()
    login(reviewer, staff.reviewer)
    review = reviewer.get(f"/review/events/{event.id}").get_data(as_text=True)
    assert _row_of(review, "Stor") == ["700 000", "100–150", "6", "Finansieras inte",
                                       "Finansieras"]
    assert _row_of(review, "Liten A")[-2:] == ["Finansieras", "Finansieras inte"]


def test_the_outcome_file_has_both_verdicts_for_staff_only(app, staff, make_event):
    import csv
    import io

    from .conftest import login
    big, small = add_measures((("Stor", 700_000, 100.0, 150.0), ("=Liten", 300_000, 30.0, 50.0)))
    event = make_event(voting=budget_voting([big, small]), phase="vote")
    for _ in range(3):
        submit_budget_ballot(event.id, token(), [big], new_id())
    submit_budget_ballot(event.id, token(), [small], new_id())
    path = f"/review/events/{event.id}/budget.csv"
    anonymous = app.test_client().get(path)  # a staff page: the login page, not data
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    reviewer = app.test_client()
    login(reviewer, staff.reviewer)
    answer = reviewer.get(path)
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    # 4 voters with 250 000 each: the three fund Stor (750 000 >= 700 000), the one cannot fund
    # Liten (300 000) alone; completion raises each share to 300 000, which funds it too and
    # spends the whole 1 000 000. A title starting like a formula stays text.
    assert [(r["title"], r["supporters"], r["equal_shares_funded"], r["greedy_funded"])
            for r in rows] == [("Stor", "3", "True", "True"), ("'=Liten", "1", "True", "True")]
    assert reviewer.get(f"/review/events/{event.id}/budget.pdf").status_code == 404
    other = make_event(phase="vote")
    assert reviewer.get(f"/review/events/{other.id}/budget.csv").status_code == 404
