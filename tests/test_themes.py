"""The live theme cloud: counting rules, the console's filter, the projector toggle and push."""

import pytest

from participation.core.errors import OperationError
from participation.events.models import Event
from participation.events.operations import set_show_themes
from participation.extensions import db
from participation.proposals import themes
from participation.proposals.merge import merge_proposals
from participation.proposals.moderation import approve_proposal, hide_proposal
from participation.proposals.stopwords_sv import KEPT, STOP_WORDS, THEME_FILLER
from participation.proposals.themes import ThemeIndex

from .conftest import csrf_from, login

# A realistic evening in a citizen workshop on travel (title, body).
WORKSHOP = [
    ("Fler cykelbanor", "Det behövs fler cykelbanor för att barnen ska kunna cykla till skolan."),
    ("Cykelbanan längs älven", "Bredda cykelbanan och sätt upp bättre belysning."),
    ("Cykelparkering vid stationen", "Tak över cykelparkeringen och fler platser."),
    ("Bättre belysning i parken", "Det är mörkt och otryggt i parken på kvällen."),
    ("Fler bänkar i parken", "Äldre behöver vila när de går till och från bussen."),
    ("Tätare bussar på kvällen", "Bussen går för sällan efter klockan nio."),
]


def current(event_id) -> Event:
    db.session.rollback()  # end the test's read, which still sees the database as it began
    return db.session.get(Event, event_id, populate_existing=True)


def by_stem(index):
    return {theme["stem"]: theme for theme in index.ranked}


def test_counting_rules_on_a_swedish_workshop():
    index = ThemeIndex((n, title, body) for n, (title, body) in enumerate(WORKSHOP, start=1))
    found = by_stem(index)
    # "cykelbanor" (1) and "cykelbanan" (2, twice in one text) share the stem "cykelban".
    assert found["cykelban"]["count"] == 2
    assert found["cykelban"]["proposal_ids"] == [1, 2]
    # One form per proposal each: a tie, both ten letters, so alphabetical wins.
    assert found["cykelban"]["label"] == "cykelbanan"
    assert found["park"] == {"stem": "park", "label": "parken", "count": 2,
                             "proposal_ids": [4, 5]}
    # "buss" is in 5 and 6 as "bussen" and in 6 also as "bussar": bussen is in two proposals.
    assert found["buss"]["label"] == "bussen" and found["buss"]["count"] == 2
    # "fler" and "bättre" tell duplicates apart (KEPT), but they are no subject: never themes
    # ("fler" is in three proposals, "bättre" in two); neither are stop words.
    assert {"fler", "bättre"} <= KEPT and {"fler", "bättre"} <= THEME_FILLER
    assert "fler" not in found and "bättr" not in found and "går" not in found
    labels = {theme["label"] for theme in index.ranked}
    assert not labels & STOP_WORDS and not {"och", "att", "för"} & labels
    # Six proposals: a word found in only one of them is not a shared theme.
    assert "tak" not in found and "mörk" not in found
    assert all(theme["count"] >= 2 for theme in index.ranked)
    # Commonest first, then by label.
    order = [(-theme["count"], theme["label"]) for theme in index.ranked]
    assert order == sorted(order)
    assert index.ranked[0]["stem"] == "belysning"


def test_the_events_own_question_and_filler_are_no_themes(room, staff):
    """Every proposal answers the event's question: its words ("resa", "hållbart") and those
    of its question cards say nothing about what people want. Nor do "mer", "mycket", "gång"."""
    workshop = room(prompt="Hur gör vi det lättare att resa hållbart i vardagen?",
                    kind="radslag", questions=["Hur vill du resa till jobbet?"])
    phone = workshop.phone()
    question = db.session.get(Event, workshop.id).questions[0].id
    for title, body in [
        ("Resa med cykel", "Mer plats för cyklar, så att resan blir lättare en gång om dagen."),
        ("Hållbara resor till jobbet", "Mycket bättre bussar i vardagen."),
        ("Cyklar på bussen", "Att resa med cykel och buss ska vara lätt."),
    ]:
        workshop.propose(phone, title, body=body, question_id=question)
    found = {t["stem"]: t for t in themes.themes(current(workshop.id))}
    assert {"cykl", "buss"} <= set(found), found
    for stem in ("res", "lätt", "vardag", "jobbet", "jobb", "mer", "myck", "gång", "bättr"):
        assert stem not in found, stem
    # Only the event's own question drops them: elsewhere "resa" is a theme like any word.
    index = ThemeIndex([(1, "Resa med cykel", "")], ignore=())
    assert "res" in by_stem(index)


def test_one_long_text_counts_once_and_small_events_show_single_words():
    index = ThemeIndex([
        (1, "Träd träd träd", "Fler träd, träden, träden och ännu fler träd."),
        (2, "Skola", "En ny skola vid torget"),
    ])
    found = by_stem(index)
    assert found["träd"]["count"] == 1
    assert found["träd"]["label"] == "träd"  # "träd" and "träden" in one text: the shorter
    # Under five proposals every word is a theme, but never one shorter than three letters.
    assert found["skol"]["count"] == 1 and "ny" not in found


def test_label_prefers_the_commonest_form_then_the_shortest():
    index = ThemeIndex([(1, "Cykelbanorna", ""), (2, "cykelbanorna", ""), (3, "Cykelbanor", ""),
                        (4, "Cykelbanan", ""), (5, "Fler cykelbanor", "")])
    assert by_stem(index)["cykelban"]["label"] == "cykelbanor"  # two proposals, the others one
    tie = ThemeIndex([(1, "Cykelbanorna", ""), (2, "cykelbanor", "")])
    assert by_stem(tie)["cykelban"]["label"] == "cykelbanor"


def test_only_visible_proposals_count_and_the_cache_follows_the_version(room, staff):
    workshop = room(moderation="pre")
    phone = workshop.phone()
    ids = [workshop.propose(phone, title, body=body) for title, body in WORKSHOP]
    for pid in ids:
        approve_proposal(staff.facilitator, pid)
    extra = workshop.propose(phone, "Cykelbanor till skolan")  # pending
    event = db.session.get(Event, workshop.id)
    db.session.refresh(event)
    cycling = {t["stem"]: t for t in themes.themes(event)}["cykelban"]
    assert cycling["count"] == 2 and extra not in cycling["proposal_ids"]
    assert themes.themes(event) is not themes.themes(event)  # callers get their own copy
    approve_proposal(staff.facilitator, extra)
    hide_proposal(staff.facilitator, ids[1], "Dubblett")
    db.session.refresh(event)
    assert themes.proposals_with_theme(event, "cykelban") == {ids[0], extra}
    merge_proposals(staff.facilitator, extra, ids[0])
    db.session.refresh(event)
    assert themes.proposals_with_theme(event, "cykelban") == {ids[0]}
    assert themes.proposals_with_theme(event, ["cykelban"]) == set()
    assert themes.proposals_with_theme(event, "x" * 500) == set()
    assert len(themes.themes(event, limit=2)) == 2


def test_console_filter_without_and_with_javascript(app, room, staff):
    workshop = room()
    phone = workshop.phone()
    ids = [workshop.propose(phone, title, body=body) for title, body in WORKSHOP]
    console = app.test_client()
    login(console, staff.facilitator)
    page = console.get(f"/events/{workshop.id}/console").get_data(as_text=True)
    assert 'id="theme-cloud"' in page and "Teman" in page
    assert f'href="/events/{workshop.id}/console?theme=cykelban"' in page
    assert "cykelbanan <span class=\"theme-count\">2 förslag</span>" in page
    # No JavaScript: the theme link narrows the rows on the server, with a way back.
    narrowed = console.get(f"/events/{workshop.id}/console?theme=cykelban").get_data(
        as_text=True)
    assert "Visar förslag om «cykelbanan»" in narrowed and "Visa alla" in narrowed
    assert f'id="row-{ids[0]}"' in narrowed and f'id="row-{ids[1]}"' in narrowed
    assert f'id="row-{ids[3]}"' not in narrowed
    assert 'data-theme="cykelban" aria-current="true"' in narrowed
    # The live console re-fetches cloud and rows together, keeping its chosen theme.
    rows = console.get(f"/events/{workshop.id}/console/proposals?theme=park").get_data(
        as_text=True)
    assert 'id="theme-cloud"' in rows and 'id="console-rows"' in rows
    assert f'id="row-{ids[3]}"' in rows and f'id="row-{ids[0]}"' not in rows
    all_rows = console.get(f"/events/{workshop.id}/console/proposals").get_data(as_text=True)
    assert all(f'id="row-{pid}"' in all_rows for pid in ids) and "Visar förslag" not in all_rows
    unknown = console.get(f"/events/{workshop.id}/console?theme=" + "ö" * 300)
    assert unknown.status_code == 200 and 'id="row-' not in unknown.get_data(as_text=True)
    other = app.test_client()
    login(other, staff.other)
    assert other.get(f"/events/{workshop.id}/console/proposals?theme=park").status_code == 403


def test_rest_themes_for_the_event_staff_only(app, room, staff):
    workshop = room()
    phone = workshop.phone()
    for title, body in WORKSHOP:
        workshop.propose(phone, title, body=body)
    answer = app.test_client().get(f"/api/v1/events/{workshop.id}/themes",
                                   headers=staff.auth(staff.facilitator))
    assert answer.status_code == 200
    data = answer.get_json()
    assert data["version"] == current(workshop.id).version
    assert data["themes"][0] == {"stem": "belysning", "label": "belysning", "count": 2,
                                 "proposal_ids": data["themes"][0]["proposal_ids"]}
    assert len(data["themes"][0]["proposal_ids"]) == 2
    for user, status in ((staff.other, 403), (staff.admin, 200)):
        assert app.test_client().get(f"/api/v1/events/{workshop.id}/themes",
                                     headers=staff.auth(user)).status_code == status
    assert app.test_client().get(f"/api/v1/events/{workshop.id}/themes").status_code == 401
    assert app.test_client().get("/api/v1/events/99999/themes",
                                 headers=staff.auth(staff.facilitator)).status_code == 404


def test_projector_toggle_through_operation_rest_socket_and_form(app, room, staff):
    workshop = room()
    facilitator = workshop.facilitator()
    phone = workshop.phone()
    facilitator.forget()
    phone.forget()
    # Operation: only a boolean, only staff of the event.
    for bad in ("yes", 1, None, ["true"]):
        with pytest.raises(OperationError) as wrong:
            set_show_themes(staff.facilitator, workshop.id, bad)
        assert (wrong.value.code, wrong.value.field, wrong.value.status) == (
            "invalid_type", "show", 400)
    with pytest.raises(OperationError) as refused:
        set_show_themes(staff.other, workshop.id, True)
    assert refused.value.status == 403
    event = set_show_themes(staff.facilitator, workshop.id, True)
    assert event.show_themes is True
    assert facilitator.received("themes_display")[-1] == {"version": event.version,
                                                          "show": True}
    assert phone.received("themes_display") == []
    # REST.
    url = f"/api/v1/events/{workshop.id}/themes-display"
    http = app.test_client()
    answer = http.put(url, json={"show": False}, headers=staff.auth(staff.facilitator))
    assert answer.status_code == 200 and answer.get_json()["show_themes"] is False
    bad = http.put(url, json={"show": "false"}, headers=staff.auth(staff.facilitator))
    assert bad.status_code == 400 and bad.get_json()["field"] == "show"
    assert http.put(url, json={}, headers=staff.auth(staff.facilitator)).status_code == 400
    assert http.put(url, json={"show": True}, headers=staff.auth(staff.other)).status_code == 403
    # Socket: staff only, bad input answered, not stored.
    ack = facilitator.call("set_show_themes", {"show": True})
    assert ack["ok"] and ack["show_themes"] is True
    wrong = facilitator.call("set_show_themes", {"show": "on"})
    assert (wrong["ok"], wrong["error"], wrong.get("field")) == (False, "invalid_type", "show")
    assert phone.call("set_show_themes", {"show": False})["error"] == "forbidden"
    assert current(workshop.id).show_themes is True
    # The staff snapshot says so; the no-JS console form turns it off again.
    snapshot = app.test_client().get(f"/api/v1/events/{workshop.id}/state",
                                     headers=staff.auth(staff.facilitator)).get_json()
    assert snapshot["event"]["show_themes"] is True and "themes" in snapshot
    console = app.test_client()
    login(console, staff.facilitator)
    page = console.get(f"/events/{workshop.id}/console").get_data(as_text=True)
    assert "Dölj temana på projektorn" in page
    console.post(f"/events/{workshop.id}/themes-display",
                 data={"csrf_token": csrf_from(page), "show": "0"})
    assert "Visa temana på projektorn" in console.get(
        f"/events/{workshop.id}/console").get_data(as_text=True)
    other = app.test_client()
    login(other, staff.other)
    other_csrf = csrf_from(other.get("/events").get_data(as_text=True))
    refused = other.post(f"/events/{workshop.id}/themes-display",
                         data={"csrf_token": other_csrf, "show": "1"})
    assert refused.status_code == 403  # another event's facilitator: refused, nothing stored
    assert current(workshop.id).show_themes is False


def test_themes_are_pushed_to_staff_after_a_proposal(room, staff):
    workshop = room()
    projector, phone = workshop.facilitator(), workshop.phone()
    first = workshop.propose(phone, "Fler cykelbanor")
    projector.forget()
    phone.forget()
    second = workshop.propose(phone, "Cykelbanan längs älven")
    pushes = projector.received("themes")
    assert pushes, "no themes push"
    latest = pushes[-1]
    assert latest["version"] == current(workshop.id).version
    cycling = {t["stem"]: t for t in latest["themes"]}["cykelban"]
    assert cycling == {"stem": "cykelban", "label": "cykelbanan", "count": 2}
    assert phone.received("themes") == []
    hide_proposal(staff.facilitator, second, "Dubblett")
    cycling = {t["stem"]: t for t in projector.received("themes")[-1]["themes"]}["cykelban"]
    assert cycling["count"] == 1 and first


def test_themes_pushes_are_coalesced(room, monkeypatch):
    from participation.live.socket import relay as relay_module

    relay = relay_module.relay
    workshop = room()
    projector, phone = workshop.facilitator(), workshop.phone()
    # A running coalescing loop, whose wake-ups the test makes by hand with `drain`.
    monkeypatch.setattr(relay, "interval", 60)
    monkeypatch.setattr(relay, "_task", object())
    projector.forget()
    for title in ("Fler cykelbanor", "Cykelbanan längs älven", "Säkra cykelbanor"):
        workshop.propose(phone, title)
    assert projector.received("themes") == []  # marked dirty, not yet sent
    relay.drain()
    pushes = projector.received("themes")
    assert len(pushes) == 1
    assert pushes[0]["version"] == current(workshop.id).version
    assert {t["stem"]: t["count"] for t in pushes[0]["themes"]}["cykelban"] == 3
    relay.drain()
    assert len(projector.received("themes")) == 1  # nothing new marked, nothing sent
