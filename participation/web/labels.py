"""People-facing names, translated: phases, kinds, proposal sources, review and measure
statuses, link kinds; and the strings the browser modules need. Handed to every template."""

from functools import lru_cache

from babel import Locale
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l

from ..core.time import LOCAL_ZONE, local_datetime
from ..events.tables import table_label

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
# Where a proposal came from, where a screen says so; a resident's own ("phone") has no label.
SOURCE_NAMES = {
    "paper": _l("From paper"),
    "scribe": _l("From the table's scribe"),
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
    "like_measure": _l("Like the measure %(title)s"),
    "measure_tonnes": _l("about %(low)s–%(high)s tonnes a year"),
    "support_measure": _l("Support the measure"),
    "support_measure_later": _l("You can tick it on the budget ballot when voting opens."),
    "wished": _l("You chose to support this instead of writing your own. Vote for it when "
                 "voting opens."),
    "mean": _l("mean %(mean)s"),
    "scores": _l("Scores:"),
    "table_n": _l("Table %(n)d"),
    "opens": _l("Opens %(when)s"),
    "closes": _l("Closes %(when)s"),
    "voting_opens": _l("Voting opens %(when)s"),
    "at_time": _l("%(date)s at %(time)s"),
    "opened_by_schedule": _l("The event opened on its own at the scheduled time."),
    "closed_by_schedule": _l("The event closed on its own at the scheduled time."),
    "voting_by_schedule": _l("Voting opened on its own at the scheduled time."),
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
    "outbox_withdraw_dot": _l("Take back a dot: %(title)s"),
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
    "count_answered": plural_noop("%(num)d person has answered", "%(num)d people have answered"),
    "count_likes": plural_noop("%(num)d like", "%(num)d likes"),
    "count_sent_words": plural_noop("%(num)d person has sent words",
                                    "%(num)d people have sent words"),
}
# What the projector tells the room to do in each phase.
PROJECTOR_HINTS = {
    "lobby": _l("Scan the QR code with your phone camera to join."),
    "collect": _l("Write your proposals on your phone."),
    "vote": _l("Vote on your phone now."),
    "results": _l("This is the result. Thank you!"),
    "closed": _l("The event is closed. Thank you for taking part!"),
}

# The project team's words for what became of a proposal (review pages, follow pages).
REVIEW_STATUS_NAMES = {
    "received": _l("Received"),
    "reviewing": _l("Being reviewed"),
    "in_backlog": _l("In the measure backlog"),
    "duplicate": _l("Same as another measure"),
    "out_of_scope": _l("Outside what the city decides"),
    "not_pursued": _l("Not pursued"),
}
LINK_KIND_NAMES = {
    "created_from": _l("Became a new measure"),
    "supports": _l("Gives support to a measure"),
    "duplicate": _l("Duplicate of an existing measure"),
    "out_of_scope": _l("Outside the city's remit"),
}
MEASURE_STATUS_NAMES = {
    "idea": _l("At the idea stage"),
    "assessing": _l("Being assessed by the city"),
    "planned": _l("Planned by the city"),
    "in_progress": _l("Work in progress"),
    "done": _l("Carried out"),
    "rejected": _l("Rejected by the city"),
}
SORT_NAMES = {
    "fair": _l("Fair score, all events"),
    "event": _l("Event, then fair rank"),
    "newest": _l("Newest first"),
}
# Staff roles, as the accounts pages name them.
ROLE_NAMES = {
    "facilitator": _l("Facilitator"),
    "reviewer": _l("Reviewer (project team)"),
    "admin": _l("Administrator"),
}
# The backlog's staff pages.
BACKLOG_STATUS_NAMES = {
    "idea": _l("Idea"),
    "assessing": _l("Being assessed"),
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "rejected": _l("Rejected"),
}
LINK_NAMES = {
    "created_from": _l("New measure created from this proposal"),
    "supports": _l("Supports an existing measure"),
    "duplicate": _l("Duplicate of an existing measure"),
    "out_of_scope": _l("Out of scope (give the public reason)"),
}
# The same links as residents read them on the public pages.
PUBLIC_LINK_NAMES = {
    "created_from": _l("The measure was created from this proposal"),
    "supports": _l("Supports the measure"),
    "duplicate": _l("Proposes the same as the measure"),
    "out_of_scope": _l("Out of scope"),
}


@lru_cache(maxsize=16)
def plural_samples(lang: str) -> dict[str, int]:
    """One number of each CLDR plural category of `lang` ({"one": 1, "other": 0, …}): the
    browser's Intl.PluralRules names the category, the catalogue's form for that number is
    the text (the catalogues' Plural-Forms follow CLDR, as Babel writes them)."""
    rule = Locale.parse(lang).plural_form
    samples: dict[str, int] = {}
    for n in (*range(0, 200), 1000, 1000000):
        samples.setdefault(rule(n), n)
    # Whole numbers never reach Ukrainian's "other" (it is for fractions); the script falls
    # back to it, so it holds the form of the largest.
    samples.setdefault("other", 1000000)
    return samples


def plural_forms() -> dict:
    translations = get_translations()
    samples = plural_samples(str(get_locale() or "sv"))
    return {
        key: {category: translations.ngettext(one, other, n) for category, n in samples.items()}
        for key, (one, other) in PLURALS.items()
    }


def register(app):
    app.jinja_env.filters["iso_local"] = local_datetime  # takes the shapes' ISO strings too
    # "Bord 3" / "Table 3" in the page's language for a default name, a typed name as typed.
    app.jinja_env.filters["table_name"] = table_label

    @app.context_processor
    def _labels():
        return {
            "phase_names": PHASE_NAMES,
            "kind_names": KIND_NAMES,
            "projector_hints": PROJECTOR_HINTS,
            "review_status_names": REVIEW_STATUS_NAMES, "link_kind_names": LINK_KIND_NAMES,
            "measure_status_names": MEASURE_STATUS_NAMES, "sort_names": SORT_NAMES,
            "backlog_status_names": BACKLOG_STATUS_NAMES, "source_names": SOURCE_NAMES,
            "role_names": ROLE_NAMES,
            "client_strings": client_strings(),
        }


_client_strings: dict[str, dict] = {}


def client_strings() -> dict:
    """What the page's scripts say, in the page's language: the same for every page in that
    language, so translated once per language and process (a join renders it per phone)."""
    locale = str(get_locale())
    strings = _client_strings.get(locale)
    if strings is None:
        strings = _client_strings[locale] = {
            "phases": {k: str(v) for k, v in PHASE_NAMES.items()},
            "sources": {k: str(v) for k, v in SOURCE_NAMES.items()},
            "hints": {k: str(v) for k, v in PROJECTOR_HINTS.items()},
            "measure_statuses": {k: str(v) for k, v in BACKLOG_STATUS_NAMES.items()},
            **{k: str(v) for k, v in CLIENT_STRINGS.items()},
            **plural_forms(),
            "timezone": LOCAL_ZONE.key,
        }
    return strings
