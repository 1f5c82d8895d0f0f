"""The measure backlog: measures, status, links from proposals, support, costs, CSV import."""

import secrets

import pytest
from sqlalchemy import func, select

from participation.backlog import costs, importer, operations
from participation.backlog.models import Measure, MeasureStatusEntry, ProposalLink
from participation.backlog.support import support
from participation.core.bus import published
from participation.core.errors import OperationError
from participation.events.operations import change_phase
from participation.events.tables import set_table_count
from participation.extensions import db
from participation.participants.operations import choose_table
from participation.proposals.operations import cast_vote, submit_proposal
from participation.proposals.paper import set_hand_count
from participation.review import links
from participation.review.models import ProposalReview, ReviewEntry

LIMIT = 1024 * 1024
LIGHTS = {"title": "Belysta cykelvägar vintertid", "reduction_low": 120, "reduction_high": 300,
          "investment_sek": 8_500_000, "yearly_cost_sek": 400_000,
          "owner": "Gatu- och parkförvaltningen", "focus_area": "Modig mobilitet"}


def measure(staff, **fields):
    return operations.create_measure(staff.reviewer, {"title": "Åtgärd"} | fields)["measure"]


def token():
    return secrets.token_urlsafe(32)


def propose(event, title="Belys cykelbanorna", tok=None):
    tok = tok or token()
    result = submit_proposal(event.id, tok, title, "Mörkt på vintern", secrets.token_hex(8))
    return result["proposal"]["id"], tok


def vote(pid, tok, dots=1):
    cast_vote(pid, lambda _event_id: tok, secrets.token_hex(8), dots)


def count(model):
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def events_seen():
    seen = []

    def listen(domain_event):
        seen.append(domain_event)

    published.connect(listen)
    yield seen
    published.disconnect(listen)


# --- measures and their status --------------------------------------------------------------


def test_create_measure_validates_every_field(app, staff):
    created = measure(staff, **LIGHTS)
    assert (created["status"], created["reduction_low"], created["url"]) == (
        "idea", 120.0, f"/atgarder/{created['id']}")
    bad = [({"title": ""}, "title"), ({"title": 5}, "title"), ({"title": "x" * 201}, "title"),
           ({"reduction_low": "120", "reduction_high": 300}, "reduction_low"),
           ({"reduction_low": True, "reduction_high": 3}, "reduction_low"),
           ({"reduction_low": -1, "reduction_high": 3}, "reduction_low"),
           ({"reduction_low": 5, "reduction_high": 3}, "reduction_low"),
           ({"reduction_low": 5}, "reduction_high"),
           ({"investment_sek": 1.5}, "investment_sek"), ({"investment_sek": -1}, "investment_sek"),
           ({"yearly_cost_sek": "100"}, "yearly_cost_sek"), ({"owner": ["x"]}, "owner"),
           ({"colour": "grön"}, "colour")]
    for fields, field in bad:
        with pytest.raises(OperationError) as refused:
            operations.create_measure(staff.reviewer, {"title": "Åtgärd"} | fields)
        assert (refused.value.status, refused.value.field) == (400, field), fields
    assert count(Measure) == 1


def test_only_reviewers_and_admins_manage_the_backlog(app, staff):
    for user in (staff.facilitator, staff.other, None):
        with pytest.raises(OperationError) as refused:
            operations.create_measure(user, {"title": "Nej"})
        assert refused.value.status == 403
    assert measure(staff)["id"]
    assert operations.create_measure(staff.admin, {"title": "Ja"})["measure"]["id"]


def test_status_moves_forward_and_back_only_with_a_reason(any_db_app, staff, events_seen):
    mid = measure(staff)["id"]
    operations.change_status(staff.reviewer, mid, "planned")  # skipping a step is allowed
    with pytest.raises(OperationError) as back:
        operations.change_status(staff.reviewer, mid, "assessing")
    assert back.value.code == "reason_required"
    operations.change_status(staff.reviewer, mid, "assessing", "Finansieringen saknas")
    with pytest.raises(OperationError) as no_reason:
        operations.change_status(staff.reviewer, mid, "rejected", "  ")
    assert no_reason.value.field == "reason"
    operations.change_status(staff.reviewer, mid, "rejected", "För dyr per ton")
    with pytest.raises(OperationError) as reopen:
        operations.change_status(staff.reviewer, mid, "idea")
    assert reopen.value.code == "reason_required"
    for bad in ("klar", None, 3):
        with pytest.raises(OperationError) as refused:
            operations.change_status(staff.reviewer, mid, bad)
        assert refused.value.field == "status"
    with pytest.raises(OperationError) as same:
        operations.change_status(staff.reviewer, mid, "rejected", "igen")
    assert same.value.status == 409
    db.session.rollback()
    m = db.session.get(Measure, mid)
    assert (m.status, m.rejected_reason) == ("rejected", "För dyr per ton")
    log = db.session.scalars(select(MeasureStatusEntry.status).where(
        MeasureStatusEntry.measure_id == mid).order_by(MeasureStatusEntry.id)).all()
    assert log == ["idea", "planned", "assessing", "rejected"]
    assert [e.name for e in events_seen].count("measure.changed") == 4
    with pytest.raises(OperationError) as missing:
        operations.change_status(staff.reviewer, 999, "planned")
    assert missing.value.status == 404


def test_update_keeps_the_range_consistent_and_delete_needs_no_links(app, make_event, staff):
    mid = measure(staff, reduction_low=10, reduction_high=20)["id"]
    with pytest.raises(OperationError) as refused:
        operations.update_measure(staff.reviewer, mid, {"reduction_low": 30})
    assert refused.value.code == "reduction_range"
    updated = operations.update_measure(staff.reviewer, mid, {"reduction_high": 40,
                                                              "owner": "Umeå Energi"})
    changed = updated["measure"]
    assert (changed["reduction_high"], changed["owner"]) == (40, "Umeå Energi")
    event = make_event(phase="collect")
    pid, _tok = propose(event)
    links.link_proposal(staff.reviewer, pid, "supports", measure_id=mid)
    with pytest.raises(OperationError) as linked:
        operations.delete_measure(staff.reviewer, mid)
    assert linked.value.code == "measure_has_links"
    other = measure(staff)["id"]
    assert operations.delete_measure(staff.reviewer, other) == {"deleted": other}


# --- links and the review status ------------------------------------------------------------


def _review(pid):
    db.session.rollback()
    review = db.session.get(ProposalReview, pid)
    return (review.status, review.public_answer) if review else None


def test_each_link_kind_sets_its_review_status(app, make_event, staff, events_seen):
    event = make_event(phase="collect")
    existing = measure(staff, title="Tätare busstrafik till universitetet")["id"]
    pids = [propose(event, f"Förslag {i}")[0] for i in range(4)]

    created = links.link_proposal(staff.reviewer, pids[0], "created_from")
    new_id = created["link"]["measure_id"]
    new = db.session.get(Measure, new_id)
    assert (new.title, new.description, new.status) == ("Förslag 0", "Mörkt på vintern", "idea")
    assert _review(pids[0]) == ("in_backlog", "")
    links.link_proposal(staff.reviewer, pids[1], "supports", measure_id=existing,
                             reason="Ingår i busslinjeutredningen")
    assert _review(pids[1]) == ("in_backlog", "Ingår i busslinjeutredningen")
    links.link_proposal(staff.reviewer, pids[2], "duplicate", measure_id=existing)
    assert _review(pids[2]) == ("duplicate", "")
    links.link_proposal(staff.reviewer, pids[3], "out_of_scope",
                             reason="Regionens ansvar, vi skickar förslaget vidare")
    assert _review(pids[3]) == ("out_of_scope", "Regionens ansvar, vi skickar förslaget vidare")
    linked = [e for e in events_seen if e.name == "proposal.linked"]
    assert [e.data["link"]["kind"] for e in linked] == ["created_from", "supports", "duplicate",
                                                        "out_of_scope"]
    assert all(e.event_id == event.id and e.version > 0 for e in linked)


def test_relinking_replaces_the_link_and_unlink_reopens_review(any_db_app, make_event, staff):
    event = make_event(phase="collect")
    a, b = measure(staff)["id"], measure(staff)["id"]
    pid, _tok = propose(event)
    links.link_proposal(staff.reviewer, pid, "supports", measure_id=a)
    links.link_proposal(staff.reviewer, pid, "duplicate", measure_id=b)
    db.session.rollback()
    (link,) = db.session.scalars(select(ProposalLink)).all()
    assert (link.kind, link.measure_id) == ("duplicate", b)
    links.unlink_proposal(staff.reviewer, pid)
    assert count(ProposalLink) == 0
    assert _review(pid)[0] == "reviewing"
    history = db.session.scalars(select(ReviewEntry.status).where(
        ReviewEntry.proposal_id == pid).order_by(ReviewEntry.id)).all()
    assert history == ["in_backlog", "duplicate", "reviewing"]
    with pytest.raises(OperationError) as again:
        links.unlink_proposal(staff.reviewer, pid)
    assert again.value.code == "not_linked"


def test_link_refuses_bad_input_and_stores_nothing(app, make_event, staff):
    event = make_event(phase="collect")
    mid = measure(staff)["id"]
    pid, _tok = propose(event)
    cases = [("stödjer", mid, None, "kind"), (None, mid, None, "kind"),
             ("supports", None, None, "measure_id"), ("duplicate", "1", None, "measure_id"),
             ("supports", 999, None, "measure_id"), ("out_of_scope", None, "", "reason"),
             ("out_of_scope", None, ["skäl"], "reason")]
    for kind, measure_id, reason, field in cases:
        with pytest.raises(OperationError) as refused:
            links.link_proposal(staff.reviewer, pid, kind, measure_id=measure_id,
                                     reason=reason)
        assert refused.value.field == field, (kind, measure_id, reason)
    for user in (staff.facilitator, staff.other):
        with pytest.raises(OperationError) as forbidden:
            links.link_proposal(user, pid, "supports", measure_id=mid)
        assert forbidden.value.status == 403
    with pytest.raises(OperationError) as missing:
        links.link_proposal(staff.reviewer, 999, "supports", measure_id=mid)
    assert missing.value.status == 404
    with pytest.raises(OperationError) as bad_new:
        links.link_proposal(staff.reviewer, pid, "created_from",
                                 new_measure_fields={"investment_sek": "mycket"})
    assert bad_new.value.field == "investment_sek"
    assert (count(ProposalLink), count(ProposalReview), count(Measure)) == (0, 0, 1)


# --- support, de-duplicated per person ------------------------------------------------------


def test_support_counts_each_person_once_per_event(any_db_app, make_event, staff):
    first = make_event(phase="collect", voting={"method": "dots", "dots": 5,
                                                "max_per_proposal": 3})
    set_table_count(staff.facilitator, first.id, 2)
    second = make_event(phase="collect", kind="radslag", title="Rådslag")
    author = token()
    choose_table(first.id, author, 2)
    p1, _ = propose(first, "Belys cykelbanorna", tok=author)
    p2, _ = propose(first, "Lys upp cykelvägarna")
    p3, _ = propose(second, "Belysning på cykelvägar")
    unrelated, _ = propose(first, "Något annat")
    change_phase(staff.facilitator, first.id, "vote")
    change_phase(staff.facilitator, second.id, "vote")
    both, one, elsewhere = token(), token(), token()
    # The tables are those the supporters sat at (not the table p1 was written at).
    choose_table(first.id, both, 1)
    choose_table(first.id, one, 1)
    vote(p1, both, 2)
    vote(p2, both)           # the same person on two linked proposals: counted once
    vote(p1, one)
    vote(unrelated, elsewhere)
    vote(p3, both)           # the same phone at another event is another participant
    set_hand_count(staff.facilitator, p2, 4)
    mid = measure(staff)["id"]
    links.link_proposal(staff.reviewer, p1, "supports", measure_id=mid)
    links.link_proposal(staff.reviewer, p2, "duplicate", measure_id=mid)
    links.link_proposal(staff.reviewer, p3, "supports", measure_id=mid)
    result = support(mid)
    assert (result["phone_people"], result["hand_counts"], result["people"]) == (3, 4, 7)
    assert result["proposals"] == 3
    by_event = {e["event_id"]: (e["phone_people"], e["hand_counts"]) for e in result["events"]}
    assert by_event == {first.id: (2, 4), second.id: (1, 0)}
    assert result["broad"] == {"events": 2, "tables": 1, "kinds": 2}
    assert [(t["table"], t["phone_people"]) for t in result["tables"]] == [(1, 2)]
    # Out of scope is no support.
    links.link_proposal(staff.reviewer, p3, "out_of_scope", reason="Annan huvudman")
    assert support(mid)["phone_people"] == 2


def test_the_review_and_the_measure_page_count_the_same_tables(app, make_event, staff):
    """Written at table 1, supported by people sitting at tables 1 and 2: "2 bord" on the
    review page and on the public measure page alike (proposals/supporters.py). A low rating
    is no support; hands have no table."""
    from participation.proposals.supporters import supporter_tables

    from .conftest import login

    event = make_event(phase="collect", voting={"method": "scale"})
    set_table_count(staff.facilitator, event.id, 3)
    author = token()
    choose_table(event.id, author, 1)
    pid, _ = propose(event, tok=author)
    change_phase(staff.facilitator, event.id, "vote")
    for table, score in ((1, 5), (2, 4), (2, 5), (3, 2)):
        voter = token()
        choose_table(event.id, voter, table)
        cast_vote(pid, lambda _e, t=voter: t, secrets.token_hex(8), score=score)
    mid = measure(staff)["id"]
    links.link_proposal(staff.reviewer, pid, "supports", measure_id=mid)
    change_phase(staff.facilitator, event.id, "results")
    db.session.rollback()
    assert len(supporter_tables([pid])[pid]) == 2
    assert support(mid, revealed_only=True)["broad"]["tables"] == 2
    assert [(t["table"], t["phone_people"]) for t in support(mid)["tables"]] == [(1, 1), (2, 2)]
    review = app.test_client()
    login(review, staff.reviewer)
    page = review.get(f"/review/proposals/{pid}").get_data(as_text=True)
    assert "2 bord" in page and "3 bord" not in page and "1 bord" not in page
    public = app.test_client().get(f"/atgarder/{mid}").get_data(as_text=True)
    assert "2 bord" in public and "1 bord" not in public


def test_scale_support_counts_ratings_of_four_and_five(app, make_event, staff):
    event = make_event(phase="collect", voting={"method": "scale"})
    pid, _ = propose(event)
    change_phase(staff.facilitator, event.id, "vote")
    for score in (5, 4, 2):
        tok = token()
        cast_vote(pid, lambda _e, t=tok: t, secrets.token_hex(8), score=score)
    mid = measure(staff)["id"]
    links.link_proposal(staff.reviewer, pid, "supports", measure_id=mid)
    assert support(mid)["phone_people"] == 2


# --- cost-effectiveness ---------------------------------------------------------------------


def test_cost_effectiveness_orders_cheapest_tonne_first(app, staff):
    lights = measure(staff, **LIGHTS)["id"]
    bus = measure(staff, title="Buss", reduction_low=400, reduction_high=900,
                  investment_sek=2_000_000, yearly_cost_sek=6_500_000)["id"]
    repair = measure(staff, title="Reparationscaféer", reduction_low=0, reduction_high=40,
                     yearly_cost_sek=450_000)["id"]
    unknown = measure(staff, title="Okänd")["id"]
    rows = costs.ordered(db.session.scalars(select(Measure)).all())
    assert [m.id for m, _f in rows] == [lights, bus, repair, unknown]
    figures = dict((m.id, f) for m, f in rows)
    # (8 500 000 / 10 + 400 000) / 210 = 5 952; best 1 250 000 / 300, worst / 120
    assert figures[lights] == {"yearly_cost_sek": 1_250_000, "sek_per_t": 5952,
                               "sek_per_t_low": 4167, "sek_per_t_high": 10417,
                               "reduction_mid": 210}
    assert figures[repair]["sek_per_t_high"] is None  # a low estimate of 0: open-ended
    assert figures[unknown]["sek_per_t"] is None


# --- CSV import -----------------------------------------------------------------------------

GOOD = (
    "titel;beskrivning;fokusområde;ansvarig;status;minskning_låg;minskning_hög;"
    "investering (SEK);årlig kostnad;nyttor;tidsram\n"
    "Belysta cykelvägar vintertid;LED och snöröjning;Modig mobilitet;"
    "Gatu- och parkförvaltningen;planerad;120;300,5;8 500 000;400 000 kr;Trygghet;2026–2028\n"
    "\"Tätare busstrafik; universitetet\";\"Två\nrader\";Modig mobilitet;Kollektivtrafiken;"
    "utreds;400;900;2000000;6500000;;2026\n"
    "\n"
)


def test_import_a_good_file_in_one_go(any_db_app, staff, events_seen):
    result = importer.import_csv(staff.reviewer, GOOD.encode(), LIMIT)
    assert (result["imported"], result["encoding"]) == (2, "utf-8")
    db.session.rollback()
    lights, bus = db.session.scalars(select(Measure).order_by(Measure.id)).all()
    assert (lights.status, lights.reduction_high, lights.investment_sek,
            lights.yearly_cost_sek) == ("planned", 300.5, 8_500_000, 400_000)
    assert (bus.title, bus.description, bus.status) == (
        "Tätare busstrafik; universitetet", "Två\nrader", "assessing")
    assert count(MeasureStatusEntry) == 2
    assert [e.name for e in events_seen] == ["measure.imported"]


def test_import_takes_english_headers_bom_commas_and_windows_1252(app, staff):
    english = ("\ufefftitle,owner,reduction_low,reduction_high,status\n"
               "Repair cafés,Fritid,15,40,done\n")
    assert importer.import_csv(staff.admin, english.encode(), LIMIT)["imported"] == 1
    legacy = "titel;ansvarig\nSamåkningsparkering;Gatu- och parkförvaltningen\n".encode("cp1252")
    result = importer.import_csv(staff.admin, legacy, LIMIT)
    assert result["encoding"] == "windows-1252"
    db.session.rollback()
    assert db.session.scalar(select(Measure.title).order_by(Measure.id.desc())) \
        == "Samåkningsparkering"


BAD_ROWS = [
    ("titel;minskning_låg;minskning_hög\n;1;2\n", 2, "titel", "required"),
    ("titel;minskning_låg;minskning_hög\nA;mycket;2\n", 2, "minskning_låg", "number"),
    ("titel;minskning_låg;minskning_hög\nA;-1;2\n", 2, "minskning_låg", "number"),
    ("titel;minskning_låg;minskning_hög\nA;5;2\n", 2, "minskning_låg", "range"),
    ("titel;minskning_låg;minskning_hög\nA;5;\n", 2, "minskning_hög", "both"),
    ("titel;investering_sek\nA;12,5\n", 2, "investering_sek", "kronor"),
    ("titel;status\nA;kanske\n", 2, "status", "status"),
    ("titel;status\nA;avslagen\n", 2, "rejected_reason", "reason"),
    ("titel;ansvarig\nA;" + "x" * 121 + "\n", 2, "ansvarig", "long"),
    ("titel;ansvarig\nA;B;C\n", 2, "", "cells"),
    ("titel;färg\nA;grön\n", 1, "färg", "unknown"),
    ("titel;titel\nA;B\n", 1, "titel", "twice"),
    ("ansvarig\nB\n", 1, "title", "title"),
]


@pytest.mark.parametrize(("text", "row", "column", "kind"), BAD_ROWS)
def test_a_bad_row_imports_nothing_and_says_where(any_db_app, staff, text, row, column, kind):
    good_first = text.split("\n", 1)
    # A good row before the bad one must not be stored either.
    if row == 2:
        header, rest = good_first
        cells = len(header.split(";"))
        text = f"{header}\nBra åtgärd{';' * (cells - 1)}\n{rest}"
        row = 3
    with pytest.raises(importer.ImportRefused) as refused:
        importer.import_csv(staff.reviewer, text.encode(), LIMIT)
    problems = refused.value.to_dict()["problems"]
    assert (problems[0]["row"], problems[0]["column"]) == (row, column), problems
    assert problems[0]["message"]
    assert refused.value.status == 422
    assert count(Measure) == 0


def test_every_problem_of_a_file_is_reported_in_swedish(app, staff):
    text = "titel;minskning_låg;minskning_hög;investering_sek\n;x;2;-5\nB;1;2;3\nC;3;1;\n"
    with app.test_request_context():
        with pytest.raises(importer.ImportRefused) as refused:
            importer.import_csv(staff.reviewer, text.encode(), LIMIT)
        problems = refused.value.to_dict()["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [
        (2, "titel"), (2, "minskning_låg"), (2, "investering_sek"), (4, "minskning_låg")]
    assert problems[0]["message"] == "Skriv något här."


def test_import_refuses_unreadable_oversized_and_empty_files(app, staff):
    cases = [(b"", "empty_file"), (b"titel\nA\n" + b"x" * 100, "file_too_large"),
             (b"titel\x00\nA", "not_csv"), (b"titel\n\x81\x8d\n", "not_csv"),
             (b"titel\n", "import_refused")]
    for raw, code in cases:
        with pytest.raises(OperationError) as refused:
            importer.import_csv(staff.reviewer, raw, 64)
        assert refused.value.code == code, raw
    with pytest.raises(OperationError) as forbidden:
        importer.import_csv(staff.facilitator, GOOD.encode(), LIMIT)
    assert forbidden.value.status == 403
    assert count(Measure) == 0


def test_demo_adds_its_measures_once(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["demo", "ensure"]).exit_code == 0
        assert count(Measure) == 5
    db.session.rollback()
    statuses = dict(db.session.execute(select(Measure.title, Measure.status)).all())
    assert statuses["Reparationscaféer i stadsdelarna"] == "in_progress"


def test_cost_curve_bars_are_as_wide_as_their_reduction(app, staff):
    from participation.backlog.chart import macc

    measure(staff, title="A", reduction_low=100, reduction_high=100, yearly_cost_sek=100_000)
    measure(staff, title="B", reduction_low=200, reduction_high=400, yearly_cost_sek=900_000)
    measure(staff, title="Ingen uppskattning", yearly_cost_sek=5)
    chart = macc(costs.ordered(db.session.scalars(select(Measure)).all()))
    first, second = chart["bars"]
    assert (first["measure"].title, second["measure"].title) == ("A", "B")
    assert second["w"] == pytest.approx(3 * first["w"], abs=0.2)  # 300 t against 100 t
    assert second["x"] == pytest.approx(first["x"] + first["w"], abs=0.2)
    assert (first["end"], second["end"], chart["total"]) == (100, 400, 400)
    assert second["h"] > first["h"]  # 3 000 kr/t against 1 000 kr/t
    assert {first["pattern"], second["pattern"]} == {"hatch", "dots"}


def test_support_follows_a_linked_proposal_into_the_one_it_was_merged_into(app, make_event,
                                                                           staff):
    from participation.proposals.merge import merge_proposals, undo_merge

    event = make_event(phase="collect")
    linked, _ = propose(event, "Belys cykelbanorna")
    other, _ = propose(event, "Lys upp cykelvägarna")
    third, _ = propose(event, "Belysning längs cykelvägen")
    change_phase(staff.facilitator, event.id, "vote")
    both, one, two = token(), token(), token()
    vote(linked, both)
    vote(other, both)
    vote(linked, one)
    vote(other, two)
    mid = measure(staff)["id"]
    links.link_proposal(staff.reviewer, linked, "supports", measure_id=mid)
    assert support(mid)["phone_people"] == 2

    first = merge_proposals(staff.facilitator, linked, other)
    # The votes moved to `other`, and so does the support: `both` still counts once.
    assert (support(mid)["phone_people"], support(mid)["proposals"]) == (3, 1)
    second = merge_proposals(staff.facilitator, other, third)
    assert support(mid)["phone_people"] == 3
    links.link_proposal(staff.reviewer, third, "supports", measure_id=mid)
    assert (support(mid)["phone_people"], support(mid)["proposals"]) == (3, 1)

    undo_merge(staff.facilitator, second["merge"]["id"])
    undo_merge(staff.facilitator, first["merge"]["id"])
    # Undone, each proposal carries its own votes again; `third` is linked now too.
    assert (support(mid)["phone_people"], support(mid)["proposals"]) == (2, 2)
