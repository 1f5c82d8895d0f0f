"""The create form: fields that follow the kind and the voting method, bad numbers answered on
their field (never a 500, the input kept), a table count, a rådslag's schedule."""

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from participation.core.errors import OperationError
from participation.events.models import Event, Table
from participation.extensions import db

from .conftest import csrf_from, login

BASE = {"title": "Verkstad om resor", "prompt": "Hur reser vi hållbart?",
        "kind": "medborgarverkstad", "voting_method": "approval", "moderation": "post",
        "dots": "5", "max_per_proposal": "3", "tables": "0"}


@pytest.fixture
def form(app, staff):
    web = app.test_client()
    login(web, staff.facilitator)
    csrf = csrf_from(web.get("/events/new").get_data(as_text=True))

    def post(**changes):
        return web.post("/events/new", data={"csrf_token": csrf, **BASE, **changes})

    return post


def _events() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Event.id)))


def _created(answer) -> Event:
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    db.session.rollback()
    return db.session.get(Event, int(answer.headers["Location"].split("/")[-2]))


def _field_error(page: str, name: str) -> str:
    """The error text shown under one field (the field says it is invalid)."""
    marker = f'<p class="error" id="{name}-error">'
    assert marker in page, f"no error on {name}"
    assert f'id="{name}"' in page and 'aria-invalid="true"' in page
    return page.split(marker, 1)[1].split("</p>", 1)[0]


def test_three_dots_and_at_most_five_on_one_is_answered_on_the_field(form):
    """The reported 500: 3 dots per person, at most 5 on one proposal."""
    answer = form(voting_method="dots", dots="3", max_per_proposal="5",
                  title="Prickverkstad")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Högst 3: inte fler än de prickar varje person har." in _field_error(
        page, "max_per_proposal")
    # Nothing stored, everything typed still there.
    assert _events() == 0
    assert 'value="Prickverkstad"' in page and 'name="max_per_proposal"' in page
    assert 'value="5"' in page and 'checked id="voting_method-1"' in page


@pytest.mark.parametrize("typed", ["abc", "3.5", "-2", "1e3", "3_000", "٣", "²",
                                   "9" * 40, "0", "101", " "])
def test_odd_numbers_of_dots_are_refused_on_the_field(form, typed):
    answer = form(voting_method="dots", dots=typed, max_per_proposal="1")
    assert answer.status_code == 422, typed
    assert _field_error(answer.get_data(as_text=True), "dots")
    assert _events() == 0


def test_dots_fields_are_ignored_for_other_methods(form):
    event = _created(form(voting_method="approval", dots="abc", max_per_proposal="-1"))
    assert (event.voting_method, event.dots_per_person) == ("approval", 1)
    event = _created(form(voting_method="scale", dots="3", max_per_proposal="5"))
    assert event.voting_method == "scale"
    event = _created(form(voting_method="dots", dots=" 7 ", max_per_proposal="7"))
    assert (event.dots_per_person, event.max_dots_per_proposal) == (7, 7)


def test_a_workshop_is_created_with_its_tables(form, app):
    event = _created(form(tables="5", questions="Ignoreras?", opens_at="imorgon"))
    assert [(t.number, t.name) for t in event.tables] == [
        (n, f"Bord {n}") for n in range(1, 6)]
    # A rådslag's fields are not a workshop's: ignored, not an error.
    assert event.questions == [] and event.opens_at is None


@pytest.mark.parametrize("typed", ["61", "-1", "två", "2.0", "1" * 30])
def test_a_bad_table_count_is_answered_on_the_field(form, typed):
    answer = form(tables=typed)
    assert answer.status_code == 422, typed
    assert _field_error(answer.get_data(as_text=True), "tables")
    assert _events() == 0


def test_a_radslag_gets_its_schedule_and_cards_but_no_tables(form):
    event = _created(form(kind="radslag", voting_method="scale", tables="12",
                          questions="Hur reser du?\nVar handlar du?",
                          opens_at="2030-12-03T18:00", voting_opens_at="2030-12-10T18:00",
                          closes_at="2030-12-17T18:00"))
    assert event.tables == []
    assert [q.text for q in event.questions] == ["Hur reser du?", "Var handlar du?"]
    assert (event.opens_at, event.voting_opens_at, event.closes_at) == (
        datetime(2030, 12, 3, 17), datetime(2030, 12, 10, 17), datetime(2030, 12, 17, 17))


def test_a_schedule_out_of_order_is_answered_on_its_field(form):
    answer = form(kind="radslag", opens_at="2030-12-03T18:00",
                  voting_opens_at="2030-12-02T18:00")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Röstningen måste öppna efter" in _field_error(page, "voting_opens_at")
    assert 'value="2030-12-02T18:00"' in page
    assert _events() == 0


def test_the_form_shows_every_group_labelled_for_its_kind_and_method(app, staff):
    """Without JavaScript every group shows and says what it is for (create.js hides them)."""
    web = app.test_client()
    login(web, staff.facilitator)
    page = web.get("/events/new").get_data(as_text=True)
    assert 'data-for-kind="medborgarverkstad"' in page and 'data-for-kind="radslag"' in page
    assert 'data-for-method="dots"' in page
    assert "Bara för röstning med prickar." in page and "Bara för en medborgarverkstad." in page
    assert 'name="tables"' in page and 'name="voting_opens_at"' in page
    assert "js/create.js" in page and "css/create.css" in page


def test_an_operation_error_on_an_unknown_field_goes_on_the_form(app):
    """What caused the 500: the operation's field "voting" named a method of the form."""
    from participation.staff.event_form import EventForm

    with app.test_request_context("/events/new", method="POST", data={
            **BASE, "voting_method": "dots"}):
        form = EventForm(meta={"csrf": False})
        form.validate()
        form.error_on(OperationError("invalid_voting", "Fel prickar", field="voting"))
        form.error_on(OperationError("x", "Något annat", field="no_such_field"))
        form.error_on(OperationError("y", "Utan fält"))
        assert form.max_per_proposal.errors == ["Fel prickar"]
        assert form.form_errors == ["Något annat", "Utan fält"]


@pytest.mark.parametrize("tables", [61, -1, True, "3", 2.0, [3]])
def test_the_api_refuses_a_bad_table_count(app, staff, client, tables):
    answer = client.post("/api/v1/events", headers=staff.auth(staff.facilitator), json={
        "title": "T", "prompt": "P", "kind": "medborgarverkstad",
        "voting": {"method": "approval"}, "tables": tables})
    assert (answer.status_code, answer.get_json()["field"]) == (400, "tables")
    assert _events() == 0


def test_the_api_creates_tables_with_default_names(app, staff, client):
    answer = client.post("/api/v1/events", headers=staff.auth(staff.facilitator), json={
        "title": "T", "prompt": "P", "kind": "medborgarverkstad",
        "voting": {"method": "approval"}, "tables": 2})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["tables"] == [
        {"number": 1, "name": "Bord 1", "default_name": True},
        {"number": 2, "name": "Bord 2", "default_name": True}]


def test_default_table_names_follow_the_language_and_typed_names_stay(app, make_event, staff):
    event = make_event(tables=2)
    table = db.session.scalar(select(Table).where(Table.event_id == event.id,
                                                  Table.number == 2))
    table.name = "Fönsterbordet"
    db.session.commit()
    web = app.test_client()
    login(web, staff.facilitator)
    swedish = web.get(f"/events/{event.id}/tables/cards").get_data(as_text=True)
    assert "Bord 1</h1>" in swedish and "Fönsterbordet</h1>" in swedish
    web.post("/lang/en", data={"csrf_token": csrf_from(swedish)})
    english = web.get(f"/events/{event.id}/tables/cards").get_data(as_text=True)
    assert "Table 1</h1>" in english and "Bord 1</h1>" not in english
    assert "Fönsterbordet</h1>" in english
    state = app.test_client().get(f"/api/v1/events/{event.id}/state",
                                  headers=staff.auth(staff.facilitator)).get_json()
    assert [(t["name"], t["default_name"]) for t in state["event"]["tables"]] == [
        ("Bord 1", True), ("Fönsterbordet", False)]


# --- a climate budget ----------------------------------------------------------------------

def _budget_measures():
    from participation.backlog.models import Measure

    from .support.budget import add_measures
    db.session.rollback()  # the form fixture's page read left a transaction open
    ids = add_measures()
    rejected = add_measures((("Avvisad åtgärd", 100_000, 5.0, 9.0),), status="rejected",
                             rejected_reason="För dyr per ton.")[0]
    costless = Measure(title="Åtgärd utan kostnad", reduction_low=1.0, reduction_high=2.0)
    db.session.add(costless)
    db.session.commit()
    return ids, rejected, costless.id


def test_the_form_lists_only_measures_a_ballot_may_hold_cheapest_tonne_first(app, staff):
    ids, rejected, costless = _budget_measures()
    web = app.test_client()
    login(web, staff.facilitator)
    page = web.get("/events/new").get_data(as_text=True)
    listed = [int(i) for i in re.findall(r'name="measure_ids" id="measure_ids-(\d+)"', page)]
    # The investment over LIFETIME_YEARS (10), over the mid reduction: Solceller 60 000 kr/yr
    # over 160 t = 375 kr/t; Laddstolpar 50 000 / 75 = 667; Cykelgarage 30 000 / 30 = 1 000.
    assert listed == [ids[0], ids[2], ids[1]]
    assert rejected not in listed and costless not in listed
    assert "600 000 kr" in page and "Klimatbudget" in page


def test_a_budget_event_is_created_from_the_form_in_list_order(form, app):
    ids, _rejected, _costless = _budget_measures()
    # Ticked in any order, posted as the browser sends them: the list's order is the ballot's.
    answer = form(voting_method="budget", budget_sek="1 000 000 kr",
                  measure_ids=[str(ids[2]), str(ids[0])])
    event = _created(answer)
    assert event.voting_dict() == {"method": "budget", "budget_sek": 1_000_000,
                                   "measure_ids": [ids[0], ids[2]]}


@pytest.mark.parametrize(("changes", "field", "text"), [
    ({"budget_sek": ""}, "budget_sek", "Ange budgeten i kronor"),
    ({"budget_sek": "tio miljoner"}, "budget_sek", "Skriv hela kronor"),
    ({"budget_sek": "0"}, "budget_sek", "Budgeten ska vara ett helt antal kronor"),
    ({"measure_ids": []}, "measure_ids", "Kryssa i de åtgärder"),
    ({"measure_ids": ["x1"]}, "measure_ids", "Välj åtgärderna i listan"),
])
def test_a_budget_form_with_a_bad_value_is_answered_on_its_field(form, changes, field, text):
    ids, _rejected, _costless = _budget_measures()
    values = {"voting_method": "budget", "budget_sek": "500 000",
              "measure_ids": [str(ids[0])]} | changes
    answer = form(**values)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    if field == "measure_ids":
        assert '<p class="error" id="measure_ids-error">' in page
        assert text in page.split('id="measure_ids-error">', 1)[1].split("</p>", 1)[0]
    else:
        assert text in _field_error(page, field)
    assert _events() == 0


def test_a_rejected_measure_posted_anyway_is_refused_with_the_operations_message(form):
    _ids, rejected, _costless = _budget_measures()
    answer = form(voting_method="budget", budget_sek="500 000", measure_ids=[str(rejected)])
    assert answer.status_code == 422
    assert "kan inte stå på en budgetvalsedel" in answer.get_data(as_text=True)
    assert _events() == 0


def test_budget_fields_left_filled_do_not_stop_another_method(form):
    event = _created(form(voting_method="approval", budget_sek="inte ett tal",
                          measure_ids=["x"]))
    assert event.voting_dict() == {"method": "approval"}
