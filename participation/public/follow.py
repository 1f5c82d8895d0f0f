"""/folj/<code>: a resident's own proposals and what became of them; erasing one's own input.

The follow link's code is the only key to the page: private, never cached, never referred.
"""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..core.mail import resident_mail_on
from ..notifications.operations import state_of
from ..participants.identity import by_follow_code
from ..privacy.erase import erase_own_input
from ..review.outcomes import follow_items, supported_items
from . import bp

PERSONAL = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


def follow_page(follow_code, mail_error=None, email="", status=200):
    """The page: what the person wrote, what they supported, and (with SMTP set up) the offer
    of e-mail when something changes."""
    participant = by_follow_code(follow_code)
    if participant is None:
        abort(404)
    event, items = follow_items(participant)
    mail_on = resident_mail_on(current_app.config)
    return render_template("review/follow.html", event=event, items=items,
                           supported=supported_items(participant), follow_code=follow_code,
                           mail_on=mail_on, mail=state_of(participant.id) if mail_on else None,
                           mail_error=mail_error, email=email), status, PERSONAL


@bp.get("/folj/<follow_code>")
def follow(follow_code):
    return follow_page(follow_code)


@bp.get("/folj/<follow_code>/radera")
def confirm_erase(follow_code):
    """The confirmation step: nothing is deleted by following a link."""
    if by_follow_code(follow_code) is None:
        abort(404)
    return render_template("privacy/erase.html", follow_code=follow_code), 200, PERSONAL


@bp.post("/folj/<follow_code>/radera")
def erase(follow_code):
    result = erase_own_input(follow_code)  # OperationError (404) is rendered by web/pages.py
    flash(_("Erased. Proposals: %(proposals)d, votes: %(votes)d.",
            proposals=result["proposals"], votes=result["votes"]), "success")
    return redirect(url_for("public.follow", follow_code=follow_code))
