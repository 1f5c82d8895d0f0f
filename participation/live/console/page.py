"""The console page's first paint and its live fragment, from the staff state (snapshot.py):
staff shapes only, never an ORM object."""

from flask import request
from sqlalchemy import select

from ...events.models import PHASES
from ...events.operations import TRANSITIONS
from ...extensions import db
from ...members.models import Meeting, Member
from ...members.operations import meeting_info, member_info
from ...proposals import themes as theme_cloud
from ...proposals.duplicates import suggested_pairs
from ...proposals.merge import active_merges
from ..snapshot import staff_state
from .forms import MeetingForm, MemberForm


def _merges(event_id: int) -> dict[int, list[dict]]:
    """Target id to the merges into it that are not undone (for the undo buttons)."""
    return {target: [{"id": m.id, "source_id": m.source_id} for m in merges]
            for target, merges in active_merges(event_id).items()}


def rows_context(event) -> dict:
    """The theme cloud and the proposal rows, narrowed to `?theme=<stem>` when one is chosen."""
    state = staff_state(event)
    chosen = request.args.get("theme", "").strip().lower()[:theme_cloud.STEM_MAX]
    proposals = state["proposals"]
    context = {"state": state, "event": state["event"], "themes": theme_cloud.themes(event),
               "active_theme": chosen or None, "active_merges": _merges(event.id),
               "duplicate_pairs": suggested_pairs(event)}
    if chosen:
        holding = theme_cloud.proposals_with_theme(event, chosen)
        proposals = [p for p in proposals if p["id"] in holding]
        context["active_theme_label"] = theme_cloud.label_of(event, chosen)
    return context | {"proposals": proposals, "all_proposals": state["proposals"],
                      "tallies": state["tallies"]}


def next_phases(phase: str) -> list[str]:
    return sorted(TRANSITIONS[phase], key=PHASES.index)


def group_context(event) -> dict | None:
    """The referensgrupp section: members (staff see names and e-mails) and meetings."""
    if not event.is_group:
        return None
    members = db.session.scalars(select(Member).where(Member.event_id == event.id)
                                 .order_by(Member.id)).all()
    meetings = [meeting_info(db.session, m) for m in db.session.scalars(
        select(Meeting).where(Meeting.event_id == event.id)
        .order_by(Meeting.starts_at, Meeting.id))]
    return {"members": [member_info(m) for m in members], "meetings": meetings,
            "present": {(m["id"], member) for m in meetings for member in m["present"]},
            "member_form": MemberForm(formdata=None), "meeting_form": MeetingForm(formdata=None)}
