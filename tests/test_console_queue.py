"""The console's queue without JavaScript: newest first, the pending count on top, one compact
row each with its main buttons and the rest behind "More"; the merge list chooses nothing by
itself; a hide comes back with an undo; a phase change and closing ask first; panels of another
kind of event stay away. (The live console: tests/browser/test_console_room.py.)"""

import re
import uuid

from participation.events.operations import change_phase
from participation.events.questions import set_questions
from participation.extensions import db
from participation.proposals.models import Proposal
from participation.proposals.operations import submit_proposal

from .conftest import csrf_from, login


def _propose(event, title, token=None):
    result = submit_proposal(event.id, token or uuid.uuid4().hex + "x" * 11, title, "",
                             uuid.uuid4().hex)
    return result["proposal"]["id"]


def _console(app, staff, event, query=""):
    http = app.test_client()
    login(http, staff.facilitator)
    page = http.get(f"/events/{event.id}/console{query}").get_data(as_text=True)
    return http, page


def _row_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="row-(\d+)"', page)]


def test_the_queue_is_newest_first_with_the_pending_count_on_top(app, make_event, staff):
    event = make_event(phase="collect", moderation="pre")
    ids = [_propose(event, f"Förslag {n}") for n in range(5)]
    http, page = _console(app, staff, event)
    assert _row_ids(page) == list(reversed(ids))
    assert "5 väntar på godkännande" in page
    # The queue comes before every other panel of the page.
    assert page.index('id="console-rows"') < page.index('id="join-heading"')
    assert page.index('id="console-rows"') < page.index('id="theme-cloud"')
    # The voting method and what the figures mean are said.
    assert "Röstning:" in page and "röster, en per person och förslag" in page
    assert "Vad siffrorna betyder" in page and "Handuppräckningar räknade i rummet" in page
    fragment = http.get(f"/events/{event.id}/console/proposals").get_data(as_text=True)
    assert _row_ids(fragment) == list(reversed(ids)) and 'id="queue-summary"' in fragment


def test_dots_are_explained_next_to_the_figures(app, make_event, staff):
    event = make_event(phase="collect", voting={"method": "dots", "dots": 5,
                                                "max_per_proposal": 3})
    _, page = _console(app, staff, event)
    assert "prickar, 5 per person, högst 3 på ett förslag" in page
    assert "Personer / prickar" in page
    assert "<dt>2 / 5 prickar</dt><dd>2 personer har gett förslaget sammanlagt 5 prickar.</dd>" \
        in page


def test_the_merge_list_has_no_preselected_target(app, make_event, staff):
    event = make_event(phase="collect")
    first, second = _propose(event, "Belys cykelbanorna"), _propose(event, "Tätare bussar")
    http, page = _console(app, staff, event)
    select = re.search(rf'<select id="merge-target-{second}"[^>]*>(.*?)</select>', page, re.S)
    assert select and "required" in select.group(0)
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", select.group(1))
    assert options[0] == (' value="" selected', "Välj förslag…")
    assert [o for o, _ in options[1:] if "selected" in o] == []
    # Sent without a target anyway (no browser check): refused with a message, nothing merged.
    answer = http.post(f"/events/{event.id}/merges", data={
        "csrf_token": csrf_from(page), "source_id": str(second), "target_id": ""})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"#row-{second}")
    assert "Välj ett förslag." in http.get(answer.headers["Location"]).get_data(as_text=True)
    db.session.rollback()
    assert {db.session.get(Proposal, p).status for p in (first, second)} == {"visible"}


def test_the_live_rows_carry_the_merge_list_once(app, make_event, staff):
    """The page (no JavaScript) has each row's whole list; the live refresh sends it once,
    so 45 proposals cost 45 options a refresh, not 45 × 44."""
    event = make_event(phase="collect")
    ids = [_propose(event, f"Förslag nummer {n}") for n in range(45)]
    http, page = _console(app, staff, event)
    fragment = http.get(f"/events/{event.id}/console/proposals").get_data(as_text=True)
    in_page = re.search(rf'<select id="merge-target-{ids[0]}"[^>]*>(.*?)</select>', page, re.S)
    assert len(re.findall(r'<option value="\d+"', in_page.group(1))) == 44
    lean = re.search(rf'<select id="merge-target-{ids[0]}"([^>]*)>(.*?)</select>', fragment,
                     re.S)
    assert 'data-fill="merge-options"' in lean.group(1)
    assert f'data-source-id="{ids[0]}"' in lean.group(1)
    assert re.findall(r'<option value="\d+"', lean.group(2)) == []
    shared = re.search(r'<template id="merge-options">(.*?)</template>', fragment, re.S)
    assert sorted(int(n) for n in re.findall(r'<option value="(\d+)"', shared.group(1))) == ids
    assert len(re.findall(r'<option value="\d+"', fragment)) == len(ids)
    print(f"\nrows fragment with 45 proposals: {len(fragment.encode()) // 1024} KB, "
          f"page {len(page.encode()) // 1024} KB")


def test_a_hide_without_javascript_comes_back_with_an_undo(app, make_event, staff):
    event = make_event(phase="collect")
    pid = _propose(event, "Ring Anna på 070-123 45 67")
    http, page = _console(app, staff, event)
    # The ready-made reasons are buttons of one form; the pressed one is the reason.
    assert re.search(rf'action="/events/{event.id}/proposals/{pid}/hide" class="hide-quick"', page)
    assert 'name="reason" value="Personuppgifter"' in page
    answer = http.post(f"/events/{event.id}/proposals/{pid}/hide",
                       data={"csrf_token": csrf_from(page), "reason": "Personuppgifter"})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"?hidden={pid}#undo-hidden")
    back = http.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'id="undo-hidden"' in back and "Ångra: visa det igen" in back
    undo = re.search(r'id="undo-hidden".*?action="([^"]+)"', back, re.S).group(1)
    assert undo == f"/events/{event.id}/proposals/{pid}/restore"
    assert http.post(undo, data={"csrf_token": csrf_from(back)}).status_code == 302
    db.session.rollback()
    assert db.session.get(Proposal, pid).status == "visible"
    # Shown again: the offer is gone, even with the same address.
    again = http.get(f"/events/{event.id}/console?hidden={pid}").get_data(as_text=True)
    assert 'id="undo-hidden"' not in again
    assert http.get(f"/events/{event.id}/console?hidden=nonsense").status_code == 200


def test_a_phase_change_and_closing_ask_first_without_javascript(app, make_event, staff):
    event = make_event(phase="results")
    http, page = _console(app, staff, event)
    csrf = csrf_from(page)
    ask = http.post(f"/events/{event.id}/phase", data={"csrf_token": csrf, "phase": "closed"})
    assert ask.status_code == 200
    text = ask.get_data(as_text=True)
    assert "Avsluta aktiviteten?" in text
    assert "Telefonerna kan inte längre skicka förslag eller rösta." in text
    assert 'name="confirmed" value="1"' in text and "Ja, avsluta aktiviteten" in text
    assert f'href="/events/{event.id}/console#phase-heading"' in text  # cancel: back, unchanged
    db.session.rollback()
    assert db.session.get(type(event), event.id).phase == "results"
    done = http.post(f"/events/{event.id}/phase",
                     data={"csrf_token": csrf, "phase": "closed", "confirmed": "1"})
    assert done.status_code == 302
    db.session.rollback()
    assert db.session.get(type(event), event.id).phase == "closed"
    # A phase that cannot follow is refused by the operation, not asked about.
    bad = http.post(f"/events/{event.id}/phase", data={"csrf_token": csrf, "phase": "nope"})
    assert bad.status_code == 302


def test_the_head_fragment_has_the_phase_buttons_with_their_questions(app, make_event, staff):
    event = make_event(phase="collect")
    http, _ = _console(app, staff, event)
    head = http.get(f"/events/{event.id}/console/head").get_data(as_text=True)
    assert 'id="console-head"' in head and 'data-phase="collect"' in head
    assert 'data-question="Starta omröstningen?"' in head
    assert 'data-consequence="Telefonerna kan rösta. Nya förslag kan inte skickas."' in head
    other = app.test_client()
    login(other, staff.other)
    assert other.get(f"/events/{event.id}/console/head").status_code == 403


def test_panels_follow_the_kind_of_event(app, make_event, staff):
    workshop = make_event(phase="collect")
    _, page = _console(app, staff, workshop)
    for absent in ('id="schedule-heading"', 'id="questions-heading"', 'id="group"'):
        assert absent not in page, absent
    assert 'id="join-heading"' in page and 'id="themes-heading"' in page
    radslag = make_event(phase="collect", kind="radslag")
    _, page = _console(app, staff, radslag)
    assert 'id="schedule-heading"' in page and 'id="questions-heading"' in page
    assert 'id="group"' not in page
    group = make_event(phase="collect", kind="referensgrupp")
    _, page = _console(app, staff, group)
    assert 'id="group"' in page and 'id="schedule-heading"' not in page
    # A workshop that has question cards anyway (set through the API) can still change them.
    set_questions(staff.facilitator, workshop.id, ["Hur reser du?"])
    _, page = _console(app, staff, workshop)
    assert 'id="questions-heading"' in page


def test_each_row_has_its_main_buttons_and_the_rest_behind_more(app, make_event, staff):
    from participation.proposals.moderation import approve_proposal, hide_proposal

    event = make_event(phase="collect", moderation="pre")
    waiting = _propose(event, "Väntar")
    shown = _propose(event, "Syns")
    approve_proposal(staff.facilitator, shown)
    hidden = _propose(event, "Dold")
    approve_proposal(staff.facilitator, hidden)
    hide_proposal(staff.facilitator, hidden, "Reklam")
    approve_proposal(staff.facilitator, _propose(event, "Också synlig"))
    change_phase(staff.facilitator, event.id, "vote")
    _, page = _console(app, staff, event)

    def row(pid):
        return re.search(rf'<tr id="row-{pid}".*?</tr>', page, re.S).group(0)

    def main_buttons(html):
        actions = html.split('<details class="more-box', 1)[0]
        return re.findall(r'data-key="(\w+)"', actions)

    assert main_buttons(row(waiting)) == ["approve", "hide"]
    assert main_buttons(row(shown)) == ["hide"]
    assert main_buttons(row(hidden)) == ["restore"]
    more = row(shown).split('<details class="more-box', 1)[1]
    assert 'name="count"' in more and "Handuppräckningar räknade i rummet" in more
    assert 'name="target_id"' in more and "edit-form" in more
