"""The console page's first paint and its live fragments, from the staff state (snapshot.py):
staff shapes only, never an ORM object."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ... import access
from ...activities import plan
from ...activities.live import live_parts
from ...activities.models import Activity
from ...events.models import PHASES, Event
from ...events.operations import TRANSITIONS
from ...events.team import team_info
from ...extensions import db
from ...members.models import Meeting, Member
from ...members.operations import meeting_info, member_info
from ...proposals import themes as theme_cloud
from ...proposals.duplicates import suggested_pairs
from ...proposals.merge import active_merges
from ..snapshot import event_view, staff_state
from .forms import (
    ConfirmForm,
    MeetingForm,
    MemberForm,
    PanelForm,
    PollForm,
    QuestionStatusForm,
    TeamMemberForm,
)

# Past this many suggested pairs the list starts folded, so the queue stays in the first view.
DUPLICATES_OPEN_MAX = 3

# What a phase change does, said before it is done (the console's confirm step, with and
# without JavaScript): the question, what phones can do afterwards, and the button's words.
PHASE_CONFIRM = {
    "lobby": (_l("Go back to waiting to start?"),
              _l("Phones cannot send proposals until you start again."),
              _l("Yes, go back to waiting")),
    "collect": (_l("Open for proposals?"),
                _l("Phones can write and send proposals. Voting is closed meanwhile."),
                _l("Yes, open for proposals")),
    "vote": (_l("Start the voting?"),
             _l("Phones can vote. No new proposals can be sent."),
             _l("Yes, start the voting")),
    "results": (_l("Show the results?"),
                _l("Voting ends and the ranking shows on the phones and the projector."),
                _l("Yes, show the results")),
    "closed": (_l("Close the event?"),
               _l("Phones can no longer send proposals or vote."),
               _l("Yes, close the event")),
}

# What console.js says after a button (data-t-* on #console; %(title)s filled in there).
CONSOLE_STRINGS = {
    "approved": _l("Approved: %(title)s"),
    "hidden": _l("Hidden: %(title)s. Undo with the undo button or the u key."),
    "restored": _l("Shown again: %(title)s"),
    "edited": _l("Saved: %(title)s"),
    "counted": _l("Hands saved: %(title)s"),
    "merged": _l("The proposals are merged. Count the hands again if you counted both."),
    "unmerged": _l("The merge is undone."),
    "unmerged-recount": _l("The merge is undone. The hands were counted again after the merge: "
                           "count both proposals again."),
    "undo-hide": _l("Undo: show «%(title)s» again"),
    "nothing-to-undo": _l("Nothing to undo."),
    "none-waiting": _l("No proposal is waiting for approval."),
    "choose-row": _l("First choose a proposal with j, k or n."),
    "not-here": _l("That cannot be done with this proposal."),
}

# Ready-made public reasons for hiding, one press each; any other reason can be typed.
HIDE_REASONS = (_l("Personal data"), _l("Offensive language"), _l("Off topic"),
                _l("Duplicate"))


def _merges(event_id: int) -> dict[int, list[dict]]:
    """Target id to the merges into it that are not undone (for the undo buttons)."""
    return {target: [{"id": m.id, "source_id": m.source_id} for m in merges]
            for target, merges in active_merges(event_id).items()}


def _counts(proposals: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(("pending", "visible", "hidden", "merged"), 0)
    for p in proposals:
        counts[p["status"]] = counts.get(p["status"], 0) + 1
    return counts | {"total": len(proposals)}


def rows_context(event) -> dict:
    """The theme cloud and the proposal rows, newest first, narrowed to `?theme=<stem>` when
    one is chosen; the counts above the queue; the merge targets (visible, oldest first)."""
    state = staff_state(event)
    chosen = request.args.get("theme", "").strip().lower()[:theme_cloud.STEM_MAX]
    proposals = state["proposals"]
    pairs = suggested_pairs(event)
    context = {"state": state, "event": state["event"], "themes": theme_cloud.themes(event),
               "active_theme": chosen or None, "active_merges": _merges(event.id),
               "duplicate_pairs": pairs, "duplicates_open": len(pairs) <= DUPLICATES_OPEN_MAX,
               "counts": _counts(proposals), "hide_reasons": HIDE_REASONS,
               "merge_targets": [p for p in proposals if p["status"] == "visible"]}
    if chosen:
        holding = theme_cloud.proposals_with_theme(event, chosen)
        proposals = [p for p in proposals if p["id"] in holding]
        context["active_theme_label"] = theme_cloud.label_of(event, chosen)
    return context | {"proposals": sorted(proposals, key=lambda p: p["id"], reverse=True),
                      "all_proposals": state["proposals"], "tallies": state["tallies"]}


def next_phases(phase: str) -> list[str]:
    return sorted(TRANSITIONS[phase], key=PHASES.index)


def phase_confirm(phase: str) -> dict:
    question, consequence, yes = PHASE_CONFIRM[phase]
    return {"question": str(question), "consequence": str(consequence), "yes": str(yes)}


def head_context(event, shape: dict | None = None) -> dict:
    """The phase and timer controls (re-fetched by the live console after a phase, timer or
    reveal change). `manages`: whether this viewer may use the event-wide controls; a team
    moderator sees the phase and the countdown without them (access.may_manage)."""
    shape = shape or event_view(event, staff=True)
    return {"event": shape, "next_phases": next_phases(event.phase),
            "confirms": {p: phase_confirm(p) for p in next_phases(event.phase)},
            "manages": access.may_manage(current_user, event)}


def team_context(event) -> dict:
    """The Team section: who runs the event, and for those who may change it the forms."""
    return {"members": team_info(db.session, event), "me": current_user.id,
            "form": TeamMemberForm(formdata=None)
            if access.may_manage_team(current_user, event) else None}


def plan_context(event) -> dict:
    """The section's shapes: the plan, the live activity as staff see it (the poll's bars, every
    question to the panel with the moderators' buttons, the evaluation's results), and the
    forms for managers."""
    manages = access.may_manage(current_user, event)
    return {"activities": plan.plan(event.id),
            **live_parts(plan.live_shape(event.id), access.STAFF),
            "form": PollForm(formdata=None) if manages else None,
            "panel_form": PanelForm(formdata=None, title=_l("Questions to the panel"))
            if manages else None,
            "start_form": ConfirmForm(formdata=None) if manages else None,
            "status_form": QuestionStatusForm(formdata=None),
            "copy_sources": copy_sources(event) if manages else []}


def copy_sources(event, limit: int = 30) -> list[dict]:
    """Events whose activities this person may copy into this plan: ones they may read that
    have activities besides their proposals, newest first."""
    found = db.session.scalars(
        select(Event).where(Event.id != event.id, Event.id.in_(
            select(Activity.event_id).where(Activity.kind != "proposals")))
        .order_by(Event.id.desc()).limit(limit * 4))
    return [{"id": e.id, "title": e.title} for e in found
            if access.may_review(current_user, e)][:limit]


def shows_radslag_panels(event) -> bool:
    """Schedule and question cards are a rådslag's; another kind shows them only when it
    already has some (set through the API), so they can still be changed."""
    return event.kind == "radslag" or bool(event.questions or event.opens_at or event.closes_at)


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
