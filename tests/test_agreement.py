"""Where we agree (review/agreement.py, /var-vi-ar-overens): support per group from stored
votes, counted by hand here; the Wilson bound against an independent formula; only published
events; a referensgrupp never named; small groups folded; split groups flagged; no hidden,
pending or unpublished proposal's title on the page."""

import secrets
from math import sqrt
from statistics import NormalDist

import pytest

from participation.backlog import operations
from participation.events.operations import change_phase
from participation.events.tables import set_table_count
from participation.extensions import db
from participation.participants.models import Participant
from participation.participants.operations import choose_table
from participation.proposals.models import Proposal, Vote
from participation.proposals.moderation import approve_proposal, hide_proposal
from participation.proposals.operations import cast_vote, submit_proposal
from participation.review import links
from participation.review.agreement import MIN_GROUP, agreement, wilson

from .conftest import login

AREA = "Modig mobilitet"
GROUP_TITLE = "Hemliga gruppen i Backen"


def token():
    return secrets.token_urlsafe(32)


def propose(event, title, area=True):
    focus = event.focus_areas[0].id if area and event.focus_areas else None
    return submit_proposal(event.id, token(), title, "", secrets.token_hex(8),
                           focus_area_id=focus)["proposal"]["id"]


def vote(pid, tok):
    cast_vote(pid, lambda _e: tok, secrets.token_hex(8))


def voters(event, pid, n, table=None):
    for _ in range(n):
        tok = token()
        if table is not None:
            choose_table(event.id, tok, table)
        vote(pid, tok)


def independent_wilson(k, n):
    """The textbook form (Wilson 1927): (p + z²/2n ± z/2n · √(4np(1−p) + z²)) / (1 + z²/n)."""
    z = 1.96  # the rounded 95 % quantile the fair ranking and the support share use too
    assert abs(z - NormalDist().inv_cdf(0.975)) < 1e-4
    p = k / n
    root = z / (2 * n) * sqrt(4 * n * p * (1 - p) + z * z)
    return ((p + z * z / (2 * n) - root) / (1 + z * z / n),
            (p + z * z / (2 * n) + root) / (1 + z * z / n))


def reference_group(make_event, phase="results"):
    """A referensgrupp of five voting members, written as rows (membership is not tested
    here): two support its proposal, three vote for another."""
    event = make_event(kind="referensgrupp", title=GROUP_TITLE, phase=phase)
    secret = Proposal(event_id=event.id, number=1, title="Gruppens eget förslag",
                      focus_area_id=event.focus_areas[0].id)
    other = Proposal(event_id=event.id, number=2, title="Gruppens andra förslag")
    db.session.add_all([secret, other])
    db.session.flush()
    for i in range(5):
        person = Participant(event_id=event.id, token=token())
        db.session.add(person)
        db.session.flush()
        db.session.add(Vote(event_id=event.id, participant_id=person.id,
                            proposal_id=(secret if i < 2 else other).id, dots=1))
    db.session.commit()
    return event, secret.id


@pytest.fixture
def city(app, make_event, staff):
    """A workshop (tables 1: 6 of 6 for A; 2: 0 of 5; 3: two voters, folded with three
    without a table who all support A: 3 of 5), a rådslag (6 of 8 for C), a referensgrupp (2
    of 5), a rådslag still voting (5 of 5), a hidden and a pending proposal; measure M behind
    A, the group's proposal and the running rådslag's; measure N behind C."""
    workshop = make_event(phase="collect", title="Verkstad Ersboda")
    set_table_count(staff.facilitator, workshop.id, 3)
    a = propose(workshop, "Belys cykelbanorna")
    b = propose(workshop, "Fler parkeringsplatser")
    hidden = propose(workshop, "Dold olämplig titel")
    change_phase(staff.facilitator, workshop.id, "vote")
    voters(workshop, a, 6, table=1)
    voters(workshop, b, 5, table=2)
    voters(workshop, b, 2, table=3)
    voters(workshop, a, 3)
    voters(workshop, hidden, 1, table=1)  # its vote is refunded when hidden: no voter
    hide_proposal(staff.facilitator, hidden, "Olämpligt")
    change_phase(staff.facilitator, workshop.id, "results")

    radslag = make_event(phase="collect", kind="radslag", title="Rådslag Teg",
                         moderation="pre")
    c = propose(radslag, "Gratis buss för unga")
    c2 = propose(radslag, "Fler laddstolpar")
    pending = propose(radslag, "Väntande okänd titel")
    approve_proposal(staff.facilitator, c)
    approve_proposal(staff.facilitator, c2)
    change_phase(staff.facilitator, radslag.id, "vote")
    voters(radslag, c, 6)
    voters(radslag, c2, 2)
    change_phase(staff.facilitator, radslag.id, "results")

    group, d = reference_group(make_event)
    running = make_event(phase="collect", kind="radslag", title="Pågående rådslag")
    e = propose(running, "Pågående omröstning om torget")
    change_phase(staff.facilitator, running.id, "vote")
    voters(running, e, 5)

    m = operations.create_measure(staff.reviewer, {"title": "Belysta cykelstråk",
                                                   "focus_area": AREA})["measure"]["id"]
    n = operations.create_measure(staff.reviewer, {"title": "Ungdomskort",
                                                   "focus_area": AREA})["measure"]["id"]
    for pid in (a, d, e):
        links.link_proposal(staff.reviewer, pid, "supports", measure_id=m)
    links.link_proposal(staff.reviewer, c, "supports", measure_id=n)
    db.session.rollback()
    return {"workshop": workshop, "radslag": radslag, "group": group, "running": running,
            "a": a, "b": b, "c": c, "d": d, "e": e, "hidden": hidden, "pending": pending,
            "m": m, "n": n}


def cells(item):
    return {(g["label"], g["supporters"], g["voters"]) for g in item["groups"]}


def find(page, kind, item_id):
    found = [i for area in page["areas"] for i in area[kind] if i["id"] == item_id]
    return found[0] if found else None


def test_support_per_group_is_counted_from_the_stored_votes(city):
    page = agreement()
    w, r = city["workshop"].title, city["radslag"].title
    m = find(page, "measures", city["m"])
    # Table 3's two voters are too few: folded with the three voters without a table.
    assert cells(m) == {(f"{w} · Bord 1", 6, 6), (f"{w} · Bord 2", 0, 5),
                        (f"{w} · övriga bord", 3, 5), ("En referensgrupp", 2, 5)}
    assert cells(find(page, "proposals", city["a"])) == {
        (f"{w} · Bord 1", 6, 6), (f"{w} · Bord 2", 0, 5), (f"{w} · övriga bord", 3, 5)}
    assert cells(find(page, "proposals", city["c"])) == {(r, 6, 8)}
    assert cells(find(page, "measures", city["n"])) == {(r, 6, 8)}
    assert all(g["voters"] >= MIN_GROUP for area in page["areas"]
               for kind in ("measures", "proposals") for i in area[kind] for g in i["groups"])


def test_the_bridging_score_is_the_lowest_wilson_bound(city):
    for k, n in ((0, 5), (2, 5), (3, 5), (6, 8), (6, 6), (1, 1), (37, 120)):
        assert wilson(k, n) == pytest.approx(independent_wilson(k, n), abs=1e-12)
    assert wilson(6, 8)[0] == pytest.approx(0.4093, abs=1e-4)  # 6 of 8: 41–93 %
    page = agreement()
    n = find(page, "measures", city["n"])
    assert n["bridging"] == pytest.approx(independent_wilson(6, 8)[0])
    m = find(page, "measures", city["m"])
    assert m["bridging"] == pytest.approx(min(independent_wilson(k, v)[0]
                                              for k, v in ((6, 6), (0, 5), (3, 5), (2, 5))))
    area = next(a for a in page["areas"] if a["name"] == AREA)
    assert [i["id"] for i in area["measures"]] == [city["n"], city["m"]]  # best bridge first


def test_groups_split_when_one_interval_lies_above_another(city):
    page = agreement()
    # 6 of 6 (61–100 %) lies wholly above 0 of 5 (0–43 %): a split.
    assert independent_wilson(6, 6)[0] > independent_wilson(0, 5)[1]
    assert find(page, "proposals", city["a"])["split"] is True
    assert find(page, "measures", city["m"])["split"] is True
    assert find(page, "proposals", city["c"])["split"] is False  # one group cannot split


def test_only_published_events_count_for_the_public(city, staff):
    page = agreement()
    assert find(page, "proposals", city["e"]) is None
    labels = {g["label"] for i in [find(page, "measures", city["m"])] for g in i["groups"]}
    assert city["running"].title not in labels
    # Publishing it brings its figures in.
    change_phase(staff.facilitator, city["running"].id, "results")
    db.session.rollback()
    assert (city["running"].title, 5, 5) in cells(find(agreement(), "measures", city["m"]))


def test_a_reference_group_is_never_named_nor_quoted_in_public(city):
    page = agreement()
    assert find(page, "proposals", city["d"]) is None
    text = repr(page)
    assert GROUP_TITLE not in text and "Gruppens" not in text


def test_staff_see_running_events_they_may_review_and_groups_by_name(city, staff):
    page = agreement(staff.reviewer)
    m = find(page, "measures", city["m"])
    assert (city["running"].title, 5, 5) in cells(m) and (GROUP_TITLE, 2, 5) in cells(m)
    # A facilitator who runs none of them sees only what the public sees.
    assert cells(find(agreement(staff.other), "measures", city["m"])) == cells(
        find(agreement(), "measures", city["m"]))


def test_the_public_page_renders_in_swedish_without_hidden_titles(app, city, staff):
    client = app.test_client()
    response = client.get("/var-vi-ar-overens")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Där vi är överens" in html and "Brobyggartal" in html
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    assert "Belys cykelbanorna" in html and "En referensgrupp" in html
    for secret in ("Dold olämplig titel", "Väntande okänd titel", GROUP_TITLE,
                   "Gruppens eget förslag", "Pågående omröstning om torget"):
        assert secret not in html
    assert 'href="/var-vi-ar-overens"' in client.get(f"/atgarder/{city['m']}").get_data(
        as_text=True)
    reviewer = app.test_client()
    login(reviewer, staff.reviewer)
    staff_html = reviewer.get("/review/agreement").get_data(as_text=True)
    assert "Pågående omröstning om torget" in staff_html and GROUP_TITLE in staff_html
    assert "Dold olämplig titel" not in staff_html and "Väntande okänd titel" not in staff_html
    assert app.test_client().get("/review/agreement").status_code in (302, 303)


def test_an_empty_city_says_so(app):
    html = app.test_client().get("/var-vi-ar-overens").get_data(as_text=True)
    assert "Det finns inga publicerade resultat att jämföra ännu." in html


def test_small_tables_are_folded_so_no_figure_is_a_few_peoples_votes(app, make_event, staff):
    """Table 3's two voters and no one without a table: too few on their own, so they join
    the smallest table (2), never left out for the event page's totals to give away. A
    rådslag of four voters is left out altogether."""
    workshop = make_event(phase="collect", title="Verkstad Ålidhem")
    set_table_count(staff.facilitator, workshop.id, 3)
    a = propose(workshop, "Cykelgarage vid stationen")
    b = propose(workshop, "Laddplatser")
    change_phase(staff.facilitator, workshop.id, "vote")
    voters(workshop, a, 4, table=1)
    voters(workshop, b, 2, table=1)
    voters(workshop, b, 5, table=2)
    voters(workshop, a, 2, table=3)
    change_phase(staff.facilitator, workshop.id, "results")
    tiny = make_event(phase="collect", kind="radslag", title="Litet rådslag")
    c = propose(tiny, "Fler bänkar")
    change_phase(staff.facilitator, tiny.id, "vote")
    voters(tiny, c, 4)
    change_phase(staff.facilitator, tiny.id, "results")
    db.session.rollback()
    page = agreement()
    w = workshop.title
    assert cells(find(page, "proposals", a)) == {(f"{w} · Bord 1", 4, 6),
                                                 (f"{w} · Bord 2 + övriga bord", 2, 7)}
    assert find(page, "proposals", c) is None and page["small_groups"] == 1
    html = app.test_client().get("/var-vi-ar-overens").get_data(as_text=True)
    assert "1 grupp var för liten för att visas." in html and "Fler bänkar" not in html


def test_a_budget_ballot_is_support_for_its_measures(app, make_event, staff):
    """Five people fill a budget ballot at a rådslag: four choose the bike lanes, two the
    buses (one of them both); a measure on the ballot nobody chose is 0 of 5."""
    from participation.budgets.operations import submit_budget_ballot

    ids = [operations.create_measure(staff.reviewer, {
        "title": title, "focus_area": AREA, "investment_sek": 1_000_000})["measure"]["id"]
        for title in ("Cykelbanor", "Bussar", "Solceller")]
    event = make_event(kind="radslag", title="Budgetrådslag", phase="vote", voting={
        "method": "budget", "budget_sek": 2_000_000, "measure_ids": ids})
    for choice in ([ids[0]], [ids[0]], [ids[0], ids[1]], [ids[0]], [ids[1]]):
        submit_budget_ballot(event.id, token(), choice, secrets.token_hex(8))
    db.session.rollback()
    assert find(agreement(), "measures", ids[0]) is None  # not published yet
    change_phase(staff.facilitator, event.id, "results")
    db.session.rollback()
    page = agreement()
    assert [cells(find(page, "measures", i)) for i in ids] == [
        {("Budgetrådslag", 4, 5)}, {("Budgetrådslag", 2, 5)}, {("Budgetrådslag", 0, 5)}]
