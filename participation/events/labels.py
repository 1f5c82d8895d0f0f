"""People-facing names of phases and kinds, translated."""

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l

from ..core.time import LOCAL_ZONE

PHASE_NAMES = {
    "lobby": _l("Waiting to start"),
    "collect": _l("Writing proposals"),
    "vote": _l("Voting"),
    "results": _l("Results"),
    "closed": _l("Closed"),
}
KIND_NAMES = {
    "radslag": _l("Open dialogue (rådslag)"),
    "referensgrupp": _l("Reference group (referensgrupp)"),
    "medborgarverkstad": _l("Citizen workshop (medborgarverkstad)"),
}
# Strings the browser modules need, handed over as JSON in the page (no inline script).
CLIENT_STRINGS = {
    "connected": _l("Live"),
    "reconnecting": _l("Reconnecting…"),
    "offline": _l("Offline: your page will update when the connection is back."),
    "sent": _l("Thank you! Your proposal is on the wall."),
    "sent_pending": _l("Thank you! Your proposal will show once the facilitator approves it."),
    "phase_now": _l("The event is now: %(phase)s"),
    "error": _l("Something went wrong. Try again."),
    "hidden_by": _l("Hidden by the facilitator:"),
    "timer_up": _l("Time is up"),
    "bars_held": _l("the votes are shown when the facilitator chooses"),
    "timer_minute": _l("One minute left"),
    "merged_with": _l("Merged with the proposal:"),
    "support_instead": _l("Support this instead"),
    "wished": _l("You chose to support this instead of writing your own. Vote for it when "
                 "voting opens."),
    "mean": _l("mean %(mean)s"),
    "scores": _l("Scores:"),
    "opens": _l("Opens %(when)s"),
    "closes": _l("Closes %(when)s"),
    "at_time": _l("%(date)s at %(time)s"),
    "opened_by_schedule": _l("The event opened on its own at the scheduled time."),
    "closed_by_schedule": _l("The event closed on its own at the scheduled time."),
    "back_online": _l("Connected again."),
    "required": _l("Write something here."),
    "choose_question": _l("Choose the question your proposal answers."),
    "choose_score": _l("Choose a score from 1 to 5."),
    "outbox_saved": _l("Saved on your phone – it is sent when you are connected again."),
    "outbox_all_sent": _l("Everything saved on your phone has been sent."),
    "outbox_proposal": _l("Proposal: %(title)s"),
    "outbox_vote": _l("Vote: %(title)s"),
    "outbox_score": _l("Rating %(score)s: %(title)s"),
    "outbox_withdraw": _l("Take back vote: %(title)s"),
    "outbox_refused": _l("Not sent: %(what)s. %(reason)s"),
}


def plural_noop(one: str, other: str) -> tuple[str, str]:
    """Marks a plural pair for extraction; the browser picks the form (sv and en: n == 1)."""
    return one, other


PLURALS = {
    "count_people": plural_noop("%(num)d person", "%(num)d people"),
    "count_dots": plural_noop("%(num)d dot", "%(num)d dots"),
    "count_proposals": plural_noop("%(num)d proposal", "%(num)d proposals"),
    "count_voted": plural_noop("%(num)d person has voted", "%(num)d people have voted"),
    "count_merged": plural_noop("Merged from %(num)d proposal", "Merged from %(num)d proposals"),
    "count_ratings": plural_noop("%(num)d rating", "%(num)d ratings"),
    "count_new_proposals": plural_noop("%(num)d new proposal", "%(num)d new proposals"),
}
# What the projector tells the room to do in each phase.
PROJECTOR_HINTS = {
    "lobby": _l("Scan the QR code with your phone camera to join."),
    "collect": _l("Write your proposals on your phone."),
    "vote": _l("Vote on your phone now."),
    "results": _l("This is the result. Thank you!"),
    "closed": _l("The event is closed. Thank you for taking part!"),
}


def plural_forms() -> dict:
    translations = get_translations()
    return {
        key: {"one": translations.ngettext(one, other, 1),
              "other": translations.ngettext(one, other, 2)}
        for key, (one, other) in PLURALS.items()
    }


def register(app):
    @app.context_processor
    def _labels():
        return {
            "phase_names": PHASE_NAMES,
            "kind_names": KIND_NAMES,
            "projector_hints": PROJECTOR_HINTS,
            "client_strings": {
                "phases": {k: str(v) for k, v in PHASE_NAMES.items()},
                "hints": {k: str(v) for k, v in PROJECTOR_HINTS.items()},
                **{k: str(v) for k, v in CLIENT_STRINGS.items()},
                **plural_forms(),
                "timezone": LOCAL_ZONE.key,
            },
        }
