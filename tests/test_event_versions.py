"""Every write of an evening moves the event's version on by exactly one, and the domain event
it publishes (what every push carries) names that stored version and what changed.

A phone that reconnects compares versions: a push whose version is off by one, or a write that
bumps twice, makes it refetch or, worse, skip a change.
"""

import uuid

import pytest
from sqlalchemy import select

from participation.core import bus
from participation.core.errors import OperationError
from participation.events import operations as events
from participation.events.models import Event
from participation.extensions import db
from participation.ops.models import StaffAudit
from participation.proposals import merge, moderation
from participation.proposals import operations as ops


def tokens(event_id, token):
    return lambda eid: token if eid == event_id else None


@pytest.fixture
def published():
    seen = []

    def note(domain_event):
        seen.append(domain_event)

    bus.published.connect(note, weak=False)
    yield seen
    bus.published.disconnect(note)


def stored_version(event_id) -> int:
    db.session.expire_all()
    return db.session.get(Event, event_id).version


def test_each_write_of_an_evening_publishes_the_version_it_stored(app, staff, published):
    user = staff.facilitator
    event = events.create_event(user, "Verkstad", "Hur reser vi hållbart?", "medborgarverkstad",
                                {"method": "dots", "dots": 5, "max_per_proposal": 3},
                                ["Modig mobilitet"])
    eid = event.id
    ids = {}

    def submit(name, token):
        ids[name] = ops.submit_proposal(eid, token, f"Förslag {name}", "",
                                        uuid.uuid4().hex)["proposal"]["id"]

    steps = [
        (lambda: events.change_phase(user, eid, "collect"), "event.phase_changed",
         {"phase": "collect", "previous": "lobby"}),
        (lambda: submit("a", "anna"), "proposal.submitted", {}),
        (lambda: submit("b", "bo"), "proposal.submitted", {}),
        (lambda: moderation.hide_proposal(user, ids["b"], "Fel rum"), "proposal.moderated",
         {"action": "hide"}),
        (lambda: moderation.restore_proposal(user, ids["b"]), "proposal.moderated",
         {"action": "restore"}),
        (lambda: events.set_show_themes(user, eid, True), "event.themes_display",
         {"show": True}),
        (lambda: events.set_timer(user, eid, 300), "event.timer", {}),
        (lambda: events.change_phase(user, eid, "vote"), "event.phase_changed",
         {"phase": "vote", "previous": "collect"}),
        (lambda: ops.cast_vote(ids["a"], tokens(eid, "cia"), uuid.uuid4().hex, 2),
         "vote.changed", {"proposal_id": None}),
        (lambda: ops.withdraw_vote(ids["a"], tokens(eid, "cia"), uuid.uuid4().hex, 1),
         "vote.changed", {"proposal_id": None}),
        (lambda: events.reveal_tallies(user, eid, True), "event.tallies_revealed",
         {"revealed": True}),
        (lambda: ids.__setitem__("merge", merge.merge_proposals(
            user, ids["b"], ids["a"], "Samma sak")["merge"]["id"]), "proposal.merged", {}),
        (lambda: merge.undo_merge(user, ids["merge"]), "proposal.unmerged", {}),
        (lambda: events.reveal_tallies(user, eid, False), "event.tallies_revealed",
         {"revealed": False}),
        (lambda: events.change_phase(user, eid, "results"), "event.phase_changed",
         {"phase": "results", "previous": "vote"}),
    ]
    assert stored_version(eid) == 1
    for number, (write, name, data) in enumerate(steps, start=2):
        published.clear()
        write()
        assert [e.name for e in published] == [name]
        pushed = published[0]
        assert (pushed.event_id, pushed.version) == (eid, number), name
        assert stored_version(eid) == number, name
        for key, value in data.items():
            expected = ids["a"] if key == "proposal_id" else value
            assert pushed.data[key] == expected, (name, key)
    assert published[0].version == 1 + len(steps)
    # Each staff setting of the evening is in the staff audit, with who made it and what.
    audit = db.session.execute(select(StaffAudit.actor_id, StaffAudit.actor, StaffAudit.action,
                                      StaffAudit.target)
                               .where(StaffAudit.event_id == eid).order_by(StaffAudit.id)).all()
    assert [tuple(row) for row in audit] == [(user.id, user.email, action, target) for
                                             action, target in (
        ("event.create", event.code), ("event.phase", "collect"), ("event.themes", "True"),
        ("event.timer", "300"), ("event.phase", "vote"), ("event.reveal", "True"),
        ("event.reveal", "False"), ("event.phase", "results"))]


def test_a_refused_write_publishes_nothing_and_keeps_the_version(app, staff, published,
                                                                  make_event):
    event = make_event(phase="collect")
    before = stored_version(event.id)
    published.clear()
    with pytest.raises(OperationError):
        events.set_timer(staff.facilitator, event.id, 4 * 3600 + 1)
    db.session.rollback()
    with pytest.raises(OperationError):
        events.change_phase(staff.facilitator, event.id, "fika")
    db.session.rollback()
    assert published == []
    assert stored_version(event.id) == before
