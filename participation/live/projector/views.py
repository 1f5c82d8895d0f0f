"""The projector view, the poster and the table cards: staff of the event only. The projector
and the poster for its whole team (access.may_moderate: a moderator often runs the second
screen); the table cards, which carry the scribe cards' secrets, for those who may manage it."""

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ... import access
from ...activities import evaluation, panel, words
from ...activities import plan as activities
from ...activities import poll as polls
from ...core.languages import direction, parse_list
from ...web.auth import managed_event, moderated_event, staff_page
from ...web.links import join_url
from ..snapshot import event_view
from . import bp

event_page = staff_page()


def join_lines(event) -> list[dict]:
    """How to join, in each language the phones offer besides the projector's own: the lobby
    says it to everyone in the room at once (docs/languages.md)."""
    lines = []
    for lang in parse_list(event.languages):
        if lang != event.projector_language:
            with force_locale(lang):
                lines.append({"lang": lang, "dir": direction(lang),
                              "text": _("Scan the QR code with your phone camera to join.")})
    return lines


@bp.get("/events/<int:event_id>/projector")
@event_page
def page(event_id):
    """In the event's projector language, whoever is signed in on the laptop."""
    event = moderated_event(event_id)
    with force_locale(event.projector_language):
        return _page(event)


def _page(event):
    shape = activities.live_shape(event.id)
    # Another activity than the proposals is live: its present mode (docs/activities.md). The
    # hall sees the questions and the word cloud as the public does (hidden ones left out) and
    # of the evaluation only how many have answered.
    present = {
        "poll": lambda: {"live_poll": polls.live_poll(shape, None, staff=True)},
        "questions": lambda: {"live_panel": panel.live_panel(shape, access.PUBLIC)},
        "evaluation": lambda: {"evaluation": shape,
                               "people": evaluation.people(shape["id"])},
        "words": lambda: {"live_cloud": words.live_cloud(shape, None)},
    }
    if shape is not None and shape["kind"] in present:
        return render_template(f"events/projector_{shape['kind']}.html",
                               event=event_view(event, staff=True),
                               join_url=join_url(event.code), **present[shape["kind"]]())
    return render_template("events/projector.html", event=event_view(event, staff=True),
                           join_url=join_url(event.code), join_lines=join_lines(event))


@bp.get("/events/<int:event_id>/poster")
@event_page
def poster(event_id):
    event = moderated_event(event_id)
    return render_template("events/poster.html", event=event_view(event),
                           join_url=join_url(event.code))


@bp.get("/events/<int:event_id>/tables/cards")
@event_page
def table_cards(event_id):
    """One card per table to join it, and one scribe card per table with its current secret."""
    event = managed_event(event_id)
    cards = [{"number": t.number, "name": t.name, "scribe_token": t.scribe_token}
             for t in event.tables]
    return render_template("events/table_cards.html", event=event_view(event), cards=cards,
                           join_url=join_url(event.code))
