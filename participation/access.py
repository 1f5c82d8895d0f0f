"""Who may do what: every access decision of the platform, in this one module.

Forms, REST, Socket.IO, the pages and the operations all ask here; nothing else spells a rule.
The functions take what they decide on (a staff user, an event, a participant, a proposal)
and read only their attributes, so every layer can call them, inside a write transaction as
well as on a page. `may_*` answers yes or no; `require_*` raises the OperationError the
channels turn into 403s (or a 404 where saying "forbidden" would tell that something exists).

Staff roles: a *facilitator* (processledare) runs their own events; a *reviewer* (projektgrupp)
reviews proposals from every event and keeps the measure backlog; an *admin* may do both,
everywhere. An event's creator can add colleagues to its team, as facilitators (run it as the
creator does) or moderators (moderate it at the console): team_role below.
Residents have no account: a participant is a pseudonymous token per event.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .core.errors import OperationError, forbidden

FACILITATOR, REVIEWER, ADMIN = "facilitator", "reviewer", "admin"
# What everyone may see of results: only once they are out (the bandwagon the held-back bars
# and the phones' missing tallies guard against while voting runs).
RESULTS_PHASES = ("results", "closed")


def _role(user) -> str | None:
    return getattr(user, "role", None) if user is not None else None


# --- staff -------------------------------------------------------------------------------


def is_admin(user) -> bool:
    return _role(user) == ADMIN


def may_run_events(user) -> bool:
    """Create events (and be a facilitator on another's team)."""
    return _role(user) in (FACILITATOR, ADMIN)


# --- an event's team: its creator, and the colleagues they add (events/team.py) ----------
#
# Who decides what, on one event:
#   may_manage   (the creator, team facilitators, admins): everything: phase, countdown, vote
#                bars, theme cloud, schedule and question cards, tables and scribe cards (and
#                their secrets: the table cards), the referensgrupp's members, invitations and
#                meetings (names and e-mails), the team itself; and all may_moderate allows.
#   may_moderate (the above, and team moderators): the console page (without the controls
#                above: the template asks `manages`), its rows and head, the projector view and
#                poster, the theme cloud (read), moderation (approve, hide, restore, edit),
#                merging and undoing merges, paper proposals and hand counts, the staff socket
#                (connect to the staff room; each command's operation asks the rule above it),
#                the team list (read); and all may_review allows.
# There is no deleting an event yet; when there is, it is may_manage's.

TEAM_FACILITATOR, MODERATOR = FACILITATOR, "moderator"


def may_join_team(user, role: str) -> bool:
    """Whether this account can be on an event's team as `role`. A facilitator there can do all
    the creator can, so it takes an account that may run events (facilitator or admin). A
    moderator may be any staff account: a reviewer of the project team often sits at the
    console approving and merging, and needs no right to run events for it."""
    if role == TEAM_FACILITATOR:
        return may_run_events(user)
    if role == MODERATOR:
        return _role(user) in (FACILITATOR, REVIEWER, ADMIN)
    return False


def team_role(user, event) -> str | None:
    """The user's part in running this event: "facilitator" (its creator, or a team
    facilitator), "moderator", or None. Read from `event.team` each time it is asked (inside
    an operation: under the event's lock), so a colleague removed a moment ago has no part;
    a row counts only while the account's role still allows it (may_join_team)."""
    user_id = getattr(user, "id", None)
    if user_id is None:
        return None
    if event.created_by_id == user_id and _role(user) == FACILITATOR:
        return TEAM_FACILITATOR
    for member in getattr(event, "team", ()):
        if member.user_id == user_id:
            return member.role if may_join_team(user, member.role) else None
    return None


def may_manage(user, event) -> bool:
    """Run this event (see the table above): its creator, its team facilitators, admins."""
    return is_admin(user) or team_role(user, event) == TEAM_FACILITATOR


def may_moderate(user, event) -> bool:
    """Moderate this event at its console (see the table above): whoever may manage it, and
    its team moderators."""
    return may_manage(user, event) or team_role(user, event) == MODERATOR


def may_copy_event(user, event) -> bool:
    """Make a new event from this one's setup ("Kopiera", activities/repeat.py): whoever may
    create events and sees this one's console (may_moderate). The copy holds only what that
    console shows (no scribe secrets, nothing residents sent), and its copier is its creator."""
    return may_run_events(user) and may_moderate(user, event)


def may_manage_team(user, event) -> bool:
    """Add and remove the event's colleagues: whoever may manage it."""
    return may_manage(user, event)


def may_review_every_event(user) -> bool:
    """Reviewers and admins read and review the proposals of every event."""
    return _role(user) in (REVIEWER, ADMIN)


def may_review(user, event) -> bool:
    """Read everything about this event's proposals (results, merges, the moderation trail,
    duplicates, the staff snapshot) and review them: status, public answer, staff discussion.
    Reviewers and admins for every event; its team (creator, facilitators, moderators) for
    it: a moderator merging needs the duplicates and the trail, and the people who ran the
    room are the ones who can answer what became of its proposals."""
    return may_review_every_event(user) or may_moderate(user, event)


def may_manage_backlog(user) -> bool:
    """Keep the measure backlog: measures, statuses, imports, links from proposals."""
    return _role(user) in (REVIEWER, ADMIN)


def may_manage_population(user) -> bool:
    """Set the city's districts, population figures and its own "who took part" question
    (demographics/): the project team that compares events with the city."""
    return _role(user) in (REVIEWER, ADMIN)


def require_manage_population(user) -> None:
    if not may_manage_population(user):
        raise forbidden()


def may_read_audit(user) -> bool:
    """The staff audit log."""
    return is_admin(user)


def may_manage_token(user, token) -> bool:
    """See and revoke an API token: its owner only; for anyone else it does not exist (404).
    (`flask users revoke-token` on the server is the way round for an admin.)"""
    return user is not None and token.user_id == getattr(user, "id", None)


def may_issue_token(user, with_token: bool) -> bool:
    """Staff create their own API tokens while logged in, never with a token: a leaked token
    must not mint others that outlive its revocation."""
    return _role(user) is not None and not with_token


def may_manage_accounts(user) -> bool:
    """Staff accounts: invite, change roles, disable and enable, reset links, sign out
    everywhere, reset a lost second factor. Admins only."""
    return is_admin(user)


def must_use_second_factor(user, required_roles) -> bool:
    """Whether this account's role is one of REQUIRE_MFA_ROLES (it must log in with TOTP)."""
    return _role(user) in tuple(required_roles or ())


def require_manage_accounts(user) -> None:
    if not may_manage_accounts(user):
        raise forbidden()


def require_run_events(user) -> None:
    if not may_run_events(user):
        raise forbidden()


def require_manage(user, event) -> None:
    if not may_manage(user, event):
        raise forbidden()


def require_moderate(user, event) -> None:
    if not may_moderate(user, event):
        raise forbidden()


def require_copy_event(user, event) -> None:
    if not may_copy_event(user, event):
        raise forbidden()


def require_review(user, event) -> None:
    if not may_review(user, event):
        raise forbidden()


def require_manage_backlog(user) -> None:
    if not may_manage_backlog(user):
        raise forbidden()


# --- residents ---------------------------------------------------------------------------


def not_a_member() -> OperationError:
    return OperationError("not_a_member",
                          _l("Only invited members of this reference group can take part."), 403)


def active_membership(event, participant):
    """The participant's membership of this referensgrupp if it is active, else None."""
    member = getattr(participant, "member", None) if participant is not None else None
    if member is None or member.event_id != event.id or member.revoked_at is not None:
        return None
    return member


def may_take_part(event, participant) -> bool:
    """Read and write in the event as a resident. An open event (rådslag, medborgarverkstad):
    anyone who joined with the code. A referensgrupp: only its invited members whose invitation
    is not revoked; `participant` is the joined phone's participant row (or None)."""
    return not event.is_group or active_membership(event, participant) is not None


def require_take_part(event, participant):
    """Inside the write transaction: the active membership (None for open events)."""
    if not event.is_group:
        return None
    member = active_membership(event, participant)
    if member is None:
        raise not_a_member()
    return member


def author_name(member, display_name: str | None, limit: int) -> str | None:
    """The name printed on a proposal: the name the resident chose to give; in a referensgrupp
    only the member's own name, and only with their consent (`show_name`)."""
    if member is None:
        return display_name or None
    return member.name[:limit] if member.show_name else None


def is_scribe(table, secret: str | None) -> bool:
    """The phone scanned this table's scribe card (its current secret): it may enter the
    proposals the table agreed on."""
    import hmac

    return (table is not None and bool(secret) and isinstance(secret, str)
            and hmac.compare_digest(table.scribe_token, secret))


def require_scribe(table, secret) -> None:
    if not is_scribe(table, secret):
        raise OperationError("not_scribe", _l("Only the table's scribe can do that."), 403)


# --- what a viewer sees ------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """Who is looking: `staff` (the event's staff, via may_review), a `resident` (with their
    participant id once they have one) or the `public` (no cookie, public pages, exports)."""

    kind: str  # "staff" | "resident" | "public"
    participant_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"


PUBLIC = Viewer("public")
STAFF = Viewer("staff")


def resident(participant) -> Viewer:
    return Viewer("resident", participant.id if participant is not None else None)


def proposal_view(viewer: Viewer, status: str, author_id: int | None) -> str | None:
    """Which shape of a proposal this viewer gets: "staff" (everything), "author" (their own,
    also while it waits for approval), "public" (hidden and merged ones as tombstones), or None
    (a proposal waiting for approval is shown to nobody but its author and staff)."""
    if viewer.is_staff:
        return "staff"
    if viewer.participant_id is not None and author_id == viewer.participant_id:
        return "author"
    if status == "pending":
        return None
    return "public"


def panel_question_view(viewer: Viewer, status: str, author_id: int) -> str | None:
    """A question to the panel: "staff" (everything), "author" (their own, also once hidden or
    while it waits for approval, so a person sees what happened to it), "public", or None
    (hidden, or waiting for approval)."""
    if viewer.is_staff:
        return "staff"
    if viewer.participant_id is not None and author_id == viewer.participant_id:
        return "author"
    return None if status in ("hidden", "pending") else "public"


def may_see_results(event, viewer: Viewer = PUBLIC) -> bool:
    """Support, ranks and counts of the event: staff always (the console counts live); everyone
    else once the event shows its results."""
    return viewer.is_staff or event.phase in RESULTS_PHASES


def is_public_event(event) -> bool:
    """Whether the event's names and texts may reach a public page (/offentligt, measure pages,
    exports for the public): not a referensgrupp's, whose proposals stay within the group."""
    return not event.is_group
