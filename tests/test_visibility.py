"""What moderation removed, what waits for approval, what a referensgrupp said and how a vote
still running goes: on no surface anyone else can read — page HTML, REST, the socket snapshot,
public pages, exports. Each test drives the app only through its HTTP and Socket.IO doors, as
a stranger, a resident or a member would (access.py has the rules, proposals/shapes.py the
shapes)."""

import uuid

import pytest

from participation.events.models import Table
from participation.extensions import db

from .conftest import csrf_from, join

SECRET = "Ring Kalle på 070-123 45 67"
AUTHOR = "Kalle Anka"


def _phone(app, event):
    http = app.test_client()
    http.csrf = join(http, event)
    return http


def _post(http, path, body=None, method="post"):
    return getattr(http, method)(f"/api/v1{path}", json=body if body is not None else {},
                                 headers={"X-CSRFToken": http.csrf})


def _propose(http, event, title=SECRET):
    answer = _post(http, f"/events/{event.id}/proposals",
                   {"title": title, "client_id": uuid.uuid4().hex})
    assert answer.status_code in (200, 201), answer.get_json()
    return answer.get_json()


def _named_author(app, event):
    author = _phone(app, event)
    csrf = csrf_from(author.get(f"/j/{event.code}").get_data(as_text=True))
    author.post(f"/j/{event.code}/name", data={"csrf_token": csrf, "display_name": AUTHOR})
    return author


def _everything_a_stranger_reads(app, event, socket_phone) -> str:
    """Every surface another person can read about the event, as one text."""
    anonymous = app.test_client()
    other = _phone(app, event)
    snapshot = socket_phone.call("snapshot", {}) if socket_phone else {}
    return "\n".join([
        anonymous.get(f"/j/{event.code}").get_data(as_text=True),
        other.get(f"/j/{event.code}").get_data(as_text=True),
        other.get(f"/api/v1/events/{event.id}/state").get_data(as_text=True),
        anonymous.get(f"/offentligt/{event.code}").get_data(as_text=True),
        anonymous.get(f"/api/v1/public/events/{event.code}").get_data(as_text=True),
        repr(snapshot),
    ])


@pytest.mark.parametrize("phase", ["collect", "vote"])
def test_a_hidden_proposal_leaves_its_text_and_name_nowhere(app, room, staff, phase):
    workshop = room()
    event = workshop.event
    author = _named_author(app, event)
    pid = _propose(author, event)["proposal"]["id"]
    watcher = workshop.phone()
    hidden = app.test_client().post(f"/api/v1/proposals/{pid}/hide",
                                    json={"reason": "Personuppgifter"},
                                    headers=staff.auth(staff.facilitator))
    assert hidden.status_code == 200
    if phase == "vote":
        workshop.to("vote")
    seen = _everything_a_stranger_reads(app, event, watcher)
    assert SECRET not in seen and "070-123" not in seen and AUTHOR not in seen
    # Moderation stays visible as moderation: the id and the public reason.
    assert "Personuppgifter" in seen
    pushed = repr(watcher.received("proposal"))
    assert SECRET not in pushed and "Personuppgifter" in pushed


def test_a_proposal_refused_before_approval_reaches_no_one_else(app, room, staff):
    workshop = room(moderation="pre")
    event = workshop.event
    author = _named_author(app, event)
    pid = _propose(author, event)["proposal"]["id"]
    watcher = workshop.phone()
    assert SECRET not in _everything_a_stranger_reads(app, event, watcher)  # while pending
    refused = app.test_client().post(f"/api/v1/proposals/{pid}/hide", json={"reason": "Nej"},
                                     headers=staff.auth(staff.facilitator))
    assert refused.status_code == 200
    seen = _everything_a_stranger_reads(app, event, watcher)
    assert SECRET not in seen and AUTHOR not in seen
    assert SECRET not in repr(watcher.received())
    # Its author still sees their own proposal and what became of it.
    own = author.get(f"/j/{event.code}").get_data(as_text=True)
    assert "Ring Kalle" in own and "Nej" in own


def test_a_merge_into_a_proposal_hidden_later_shows_no_title(app, room, staff):
    workshop = room()
    event = workshop.event
    target = _propose(_phone(app, event), event)["proposal"]["id"]
    source_author = _phone(app, event)
    answer = _propose(source_author, event, "Fler bänkar")
    follow = answer["follow_url"].rsplit("/", 1)[-1]
    auth = staff.auth(staff.facilitator)
    http = app.test_client()
    assert http.post(f"/api/v1/events/{event.id}/merges", headers=auth, json={
        "source_id": answer["proposal"]["id"], "target_id": target}).status_code == 201
    assert http.post(f"/api/v1/proposals/{target}/hide", headers=auth,
                     json={"reason": "Personuppgifter"}).status_code == 200
    watcher = workshop.phone()
    seen = _everything_a_stranger_reads(app, event, watcher) + "\n".join([
        source_author.get(f"/j/{event.code}").get_data(as_text=True),
        http.get(f"/folj/{follow}").get_data(as_text=True),
        http.get(f"/api/v1/follow/{follow}").get_data(as_text=True)])
    assert SECRET not in seen and "070-123" not in seen
    assert "Fler bänkar" in http.get(f"/folj/{follow}").get_data(as_text=True)


def test_a_merged_proposal_follows_the_outcome_of_the_one_it_joined(app, room, staff):
    """The author of a merged proposal sees what became of the proposal it joined (status,
    the team's answer, the measure), through a chain of merges; once that one is hidden,
    only that it was, neutrally, with none of its words."""
    from participation.review import links
    from participation.review.operations import set_review

    workshop = room()
    event = workshop.event
    target = _propose(_phone(app, event), event, SECRET)["proposal"]["id"]
    middle = _propose(_phone(app, event), event, "Belys cykelbanan")["proposal"]["id"]
    answer = _propose(_phone(app, event), event, "Fler lampor")
    follow = answer["follow_url"].rsplit("/", 1)[-1]
    auth = staff.auth(staff.facilitator)
    http = app.test_client()
    for source, into in ((answer["proposal"]["id"], middle), (middle, target)):
        assert http.post(f"/api/v1/events/{event.id}/merges", headers=auth, json={
            "source_id": source, "target_id": into}).status_code == 201
    set_review(staff.reviewer, target, "not_pursued", "Kommunen lyser redan upp tre stråk.")
    (item,) = http.get(f"/api/v1/follow/{follow}").get_json()["proposals"]
    assert item["status"] == "merged" and item["number"] == 3
    assert item["joined"] == {
        "hidden": False, "number": 1, "title": SECRET, "review_status": "not_pursued",
        "public_answer": "Kommunen lyser redan upp tre stråk.", "link": None, "measure": None}
    page = http.get(f"/folj/{follow}").get_data(as_text=True)
    assert "Sammanslaget med förslag #1:" in page and "lyser redan upp tre stråk" in page

    measure = http.post("/api/v1/measures", headers=staff.auth(staff.reviewer),
                        json={"title": "Belysta cykelvägar"}).get_json()["measure"]
    links.link_proposal(staff.reviewer, target, "supports", measure_id=measure["id"])
    (item,) = http.get(f"/api/v1/follow/{follow}").get_json()["proposals"]
    assert item["joined"] == {
        "hidden": False, "number": 1, "title": SECRET, "review_status": "in_backlog",
        "public_answer": item["joined"]["public_answer"],
        "link": {"kind": "supports", "reason": None},
        "measure": {"id": measure["id"], "title": "Belysta cykelvägar",
                    "status": measure["status"], "url": f"/atgarder/{measure['id']}"}}
    page = http.get(f"/folj/{follow}").get_data(as_text=True)
    assert "Belysta cykelvägar" in page and "Finns i åtgärdsportföljen" in page

    assert http.post(f"/api/v1/proposals/{target}/hide", headers=auth,
                     json={"reason": "Personuppgifter"}).status_code == 200
    (item,) = http.get(f"/api/v1/follow/{follow}").get_json()["proposals"]
    assert item["joined"] == {"hidden": True, "number": 1, "title": None, "review_status": None,
                              "public_answer": None, "link": None, "measure": None}
    seen = http.get(f"/folj/{follow}").get_data(as_text=True) + repr(item)
    assert SECRET not in seen and "070-123" not in seen and "stråk" not in seen
    assert "Belysta cykelvägar" not in seen
    assert "som sedan har dolts" in seen and "Fler lampor" in seen


def _vote_scene(app, make_event, staff, **kwargs):
    """An event in the vote phase, one proposal with three votes, linked to a measure."""
    event = make_event(phase="collect", **kwargs)
    pid = _propose(_phone(app, event), event, "Belys cykelbanorna")["proposal"]["id"]
    api, auth = app.test_client(), staff.auth(staff.reviewer)
    measure = api.post("/api/v1/measures", headers=auth, json={"title": "Belysta cykelvägar"})
    mid = measure.get_json()["measure"]["id"]
    change = api.post(f"/api/v1/events/{event.id}/phase", json={"phase": "vote"},
                      headers=staff.auth(staff.facilitator))
    assert change.status_code == 200
    for _ in range(3):
        voter = _phone(app, event)
        assert _post(voter, f"/proposals/{pid}/votes",
                     {"client_id": uuid.uuid4().hex}).status_code == 201
    assert api.put(f"/api/v1/proposals/{pid}/link", headers=auth,
                   json={"kind": "supports", "measure_id": mid}).status_code == 200
    return event, pid, mid


def _measure_surfaces(app, mid) -> dict:
    anonymous = app.test_client()
    return {
        "page": anonymous.get(f"/atgarder/{mid}").get_data(as_text=True),
        "dossier": anonymous.get(f"/atgarder/{mid}/underlag").get_data(as_text=True),
        "rest": anonymous.get(f"/api/v1/measures/{mid}").get_json(),
        "list": anonymous.get("/api/v1/measures").get_json(),
        "csv": anonymous.get("/api/v1/measures?format=csv").get_data(as_text=True),
    }


def test_public_measure_figures_wait_for_the_events_results(app, make_event, staff):
    event, _pid, mid = _vote_scene(app, make_event, staff)
    voting = _measure_surfaces(app, mid)
    assert "3 personer stödjer" not in voting["page"]
    assert "3 personer har röstat" not in voting["dossier"]
    assert "1 / 1" not in voting["dossier"]  # no rank while the vote runs
    assert voting["rest"]["support"]["people"] == 0
    assert voting["list"]["measures"][0]["support"]["people"] == 0
    header, row = voting["csv"].lstrip("\ufeff").splitlines()[:2]
    assert row.split(",")[header.split(",").index("supporters")] == "0"
    app.test_client().post(f"/api/v1/events/{event.id}/phase", json={"phase": "results"},
                           headers=staff.auth(staff.facilitator))
    out = _measure_surfaces(app, mid)
    assert "3 personer stödjer" in out["page"]
    assert "3 personer har röstat" in out["dossier"] and "1 / 1" in out["dossier"]
    assert out["rest"]["support"]["people"] == 3
    assert out["list"]["measures"][0]["support"]["people"] == 3


def _group_member(app, staff, event):
    """A phone that accepted a referensgrupp invitation, as a member would."""
    added = app.test_client().post(f"/api/v1/events/{event.id}/members",
                                   headers=staff.auth(staff.facilitator), json={"name": "Ada"})
    token = added.get_json()["invite_url"].rsplit("/", 1)[-1]
    phone = app.test_client()
    phone.csrf = csrf_from(phone.get(f"/i/{token}").get_data(as_text=True))
    accepted = _post(phone, "/invitations/accept", {"token": token})
    assert accepted.status_code == 200, accepted.get_json()
    return phone


def test_a_referensgrupp_is_counted_never_quoted_on_public_pages(app, make_event, staff):
    group_title = "Referensgrupp Hyresgästföreningen Ålidhem"
    event = make_event(kind="referensgrupp", phase="collect", title=group_title)
    member = _group_member(app, staff, event)
    words = "Sänk hyran för den som avstår bil"
    pid = _propose(member, event, words)["proposal"]["id"]
    other = _propose(member, event, "Cykelpool i källaren")["proposal"]["id"]
    api, auth = app.test_client(), staff.auth(staff.reviewer)
    mid = api.post("/api/v1/measures", headers=auth,
                   json={"title": "Bilpool i hyresrätter"}).get_json()["measure"]["id"]
    assert api.put(f"/api/v1/proposals/{pid}/link", headers=auth,
                   json={"kind": "supports", "measure_id": mid}).status_code == 200
    created = api.put(f"/api/v1/proposals/{other}/link", headers=auth,
                      json={"kind": "created_from"}).get_json()["link"]["measure_id"]
    for change in ("vote", "results"):
        api.post(f"/api/v1/events/{event.id}/phase", json={"phase": change},
                 headers=staff.auth(staff.facilitator))
    for measure in (mid, created):
        seen = repr(_measure_surfaces(app, measure))
        for quoted in (group_title, "Hyresgästföreningen", words, "Cykelpool"):
            assert quoted not in seen, (measure, quoted)
        assert "referensgrupp" in seen.lower()  # that one exists is public; what it said is not
    assert app.test_client().get(f"/offentligt/{event.code}").status_code == 404


def test_scribe_proposals_follow_moderation_and_a_new_card_kills_the_old(app, make_event, staff):
    event = make_event(phase="collect", moderation="pre")
    facilitator = staff.auth(staff.facilitator)
    app.test_client().post(f"/api/v1/events/{event.id}/tables", json={"count": 2},
                           headers=facilitator)
    db.session.rollback()  # the test's own session reads what the request committed
    secret = db.session.query(Table).filter_by(event_id=event.id, number=1).one().scribe_token
    card = f"/j/{event.code}/bord/1/skrivare/{secret}"
    scribe = app.test_client()
    assert scribe.get(card).status_code == 303
    scribe.csrf = csrf_from(scribe.get(f"/j/{event.code}").get_data(as_text=True))
    sent = _post(scribe, f"/events/{event.id}/scribe-proposals", {"title": "Bordets förslag"})
    assert sent.status_code == 201 and sent.get_json()["proposal"]["status"] == "pending"
    assert "Bordets förslag" not in app.test_client().get(f"/j/{event.code}").get_data(
        as_text=True)
    renewed = app.test_client().post(f"/api/v1/events/{event.id}/scribe-cards",
                                     json={"table": 1}, headers=facilitator)
    assert renewed.status_code == 201
    # The old card, and the phone that scanned it, are out at once.
    refused = _post(scribe, f"/events/{event.id}/scribe-proposals", {"title": "Till"})
    assert (refused.status_code, refused.get_json()["error"]) == (403, "not_scribe")
    assert app.test_client().get(card).status_code == 404
    db.session.rollback()
    fresh = db.session.query(Table).filter_by(event_id=event.id, number=1).one().scribe_token
    assert fresh != secret
    assert app.test_client().get(f"/j/{event.code}/bord/1/skrivare/{fresh}").status_code == 303
    other = app.test_client().post(f"/api/v1/events/{event.id}/scribe-cards",
                                   json={"table": 1}, headers=staff.auth(staff.other))
    assert other.status_code == 403


def test_voting_on_a_pending_proposal_answers_as_on_a_missing_one(app, make_event, staff):
    event = make_event(phase="collect", moderation="pre")
    pending = _propose(_phone(app, event), event)["proposal"]["id"]
    app.test_client().post(f"/api/v1/events/{event.id}/phase", json={"phase": "vote"},
                           headers=staff.auth(staff.facilitator))
    stranger = _phone(app, event)
    for method, path in (("post", "votes"), ("delete", "votes")):
        answers = [_post(stranger, f"/proposals/{pid}/{path}", {"client_id": uuid.uuid4().hex},
                         method=method) for pid in (pending, pending + 1000)]
        assert [a.status_code for a in answers] == [404, 404], (method, answers)
        assert answers[0].get_json() == answers[1].get_json()


INVISIBLE = ["\u200b\u200b", "\ufeff", "\u3164", "\u200b\ufeff\u3164 \u00a0"]


@pytest.mark.parametrize("title", INVISIBLE)
def test_a_title_with_nothing_visible_is_refused_at_every_door(app, room, title):
    workshop = room()
    event = workshop.event
    http = _phone(app, event)
    rest = _post(http, f"/events/{event.id}/proposals", {"title": title,
                                                         "client_id": uuid.uuid4().hex})
    assert (rest.status_code, rest.get_json()["error"]) == (400, "required")
    ack = workshop.phone().call("submit_proposal", {"title": title, "client_id": uuid.uuid4().hex})
    assert (ack["ok"], ack["error"], ack["field"]) == (False, "required", "title")
    csrf = csrf_from(http.get(f"/j/{event.code}").get_data(as_text=True))
    form = http.post(f"/j/{event.code}/proposals",
                     data={"csrf_token": csrf, "title": title, "client_id": uuid.uuid4().hex})
    assert form.status_code == 422
    assert _post(http, f"/events/{event.id}/state", method="get").get_json()["proposals"] == []


@pytest.mark.parametrize("name", ["Kalle\x00", "Kalle \u202eeknA", "Kalle\x85", "Ka\u2066lle"])
def test_a_display_name_that_hides_or_breaks_text_is_refused(app, make_event, name):
    event = make_event(phase="collect")
    http = _phone(app, event)
    csrf = csrf_from(http.get(f"/j/{event.code}").get_data(as_text=True))
    answer = http.post(f"/j/{event.code}/name", data={"csrf_token": csrf, "display_name": name})
    assert answer.status_code == 400
    proposal = _propose(http, event, "Fler träd")["proposal"]
    assert proposal["author_name"] is None
