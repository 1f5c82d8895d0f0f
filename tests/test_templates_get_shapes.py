"""No template receives an ORM object it could print a hidden field from: every page is painted
from shapes (plain dicts built by the domains' shape functions). A tour of every screen, as
each kind of viewer, with every rendered template's context searched."""

import uuid

import pytest
from flask import template_rendered

from participation.extensions import db
from participation.web import identity

from .conftest import csrf_from, join, login

# Flask's own context entries: request plumbing, not the page's data.
FRAMEWORK = {"request", "session", "g", "config", "get_flashed_messages", "url_for",
             "csrf_token", "get_locale"}


def _orm_objects(value, path="", seen=None) -> list[str]:
    """Where in `value` an ORM object sits, walking dicts, lists, tuples and sets."""
    seen = seen if seen is not None else set()
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, db.Model):
        return [f"{path}: {type(value).__name__}"]
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _orm_objects(item, f"{path}.{key}", seen)
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            found += _orm_objects(item, f"{path}[{index}]", seen)
    return found


@pytest.fixture
def rendered(app):
    pages = []

    def record(_sender, template, context, **_extra):
        data = {k: v for k, v in context.items() if k not in FRAMEWORK}
        pages.append((template.name, _orm_objects(data)))

    template_rendered.connect(record, app)
    yield pages
    template_rendered.disconnect(record, app)


def _visit(http, paths) -> None:
    for path in paths:
        response = http.get(path)
        assert response.status_code < 500, (path, response.status_code)


def test_every_screen_is_painted_from_shapes(app, make_event, staff, rendered):
    from participation.backlog.operations import create_measure
    from participation.events.operations import change_phase
    from participation.events.tables import set_table_count
    from participation.members.operations import add_member
    from participation.proposals.moderation import hide_proposal
    from participation.proposals.operations import submit_proposal
    from participation.review.links import link_proposal

    event = make_event(phase="collect", voting={"method": "dots", "dots": 3,
                                                "max_per_proposal": 2})
    set_table_count(staff.facilitator, event.id, 2)
    group = make_event(kind="referensgrupp", phase="collect")
    invite = add_member(staff.facilitator, group.id, "Ada")["invite_token"]
    author = "a" * 43
    first = submit_proposal(event.id, author, "Cykelbanor", "Belysta", uuid.uuid4().hex)
    second = submit_proposal(event.id, author, "Hemligt", "", uuid.uuid4().hex)
    hide_proposal(staff.facilitator, second["proposal"]["id"], "Personuppgifter")
    measure = create_measure(staff.reviewer, {"title": "Belysta cykelvägar"})["measure"]["id"]
    link_proposal(staff.reviewer, first["proposal"]["id"], "supports", measure_id=measure)

    resident = app.test_client()
    join(resident, event)
    with resident.session_transaction() as cookie:
        cookie[identity.KEY] = [[event.id, author]]
    follow = first["follow_code"]
    public = ["/", f"/j/{event.code}", f"/offentligt/{event.code}", f"/folj/{follow}",
              f"/folj/{follow}/radera", f"/atgarder/{measure}", f"/atgarder/{measure}/underlag",
              "/integritet", "/tillganglighet", f"/i/{invite}", f"/j/{group.code}", "/login",
              "/j/NOSUCH", "/no-such-page", "/var-vi-ar-overens"]
    staff_pages = ["/events", "/events/new", f"/events/{event.id}/console",
                   f"/events/{event.id}/console/proposals", f"/events/{event.id}/console/head",
                   f"/events/{event.id}/console?hidden={second['proposal']['id']}",
                   f"/events/{event.id}/projector",
                   f"/events/{event.id}/poster", f"/events/{event.id}/tables/cards",
                   f"/events/{group.id}/console", "/review/", "/review/events",
                   f"/review/events/{event.id}", f"/review/proposals/{first['proposal']['id']}",
                   "/review/agreement"]
    backlog_pages = ["/backlog/", "/backlog/new", f"/backlog/{measure}/edit",
                     "/backlog/investment", "/backlog/import"]
    for phase in ("collect", "vote", "results"):
        if phase != "collect":
            change_phase(staff.facilitator, event.id, phase)
        _visit(resident, public)
        _visit(app.test_client(), public)
    facilitator = app.test_client()
    login(facilitator, staff.facilitator)
    _visit(facilitator, staff_pages)
    reviewer = app.test_client()
    login(reviewer, staff.reviewer)
    _visit(reviewer, backlog_pages + ["/review/", f"/review/proposals/{first['proposal']['id']}"])
    # A form post that answers with the page again (the no-JavaScript path's refusal).
    csrf = csrf_from(resident.get(f"/j/{event.code}").get_data(as_text=True))
    resident.post(f"/j/{event.code}/proposals", data={"csrf_token": csrf, "title": ""})

    names = {name for name, _found in rendered}
    assert {"phone/event.html", "events/console.html", "events/projector.html",
            "review/follow.html", "backlog/public.html", "backlog/dossier.html",
            "review/proposal.html", "backlog/edit.html", "members/invitation_accept.html",
            "events/table_cards.html", "members/invite_only.html"} <= names, names
    leaks = [(name, found) for name, found in rendered if found]
    assert not leaks, leaks


def test_the_search_finds_an_orm_object_anywhere_in_a_context():
    from participation.events.models import Event

    context = {"event": {"shape": [1, (2, {"row": Event(title="x")})]}, "n": 3}
    assert _orm_objects(context) == [".event.shape[1][1].row: Event"]
