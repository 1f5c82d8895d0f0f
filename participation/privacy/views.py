"""The privacy notice, and a resident erasing their own input from their follow link."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..participants.erase import erase_own_input
from ..review.public import follow_participant

bp = Blueprint("privacy", __name__)
PERSONAL = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


@bp.get("/integritet")
def notice():
    return render_template("privacy/notice.html",
                           retention_days=current_app.config["RETENTION_DAYS"])


@bp.get("/folj/<follow_code>/radera")
def confirm_erase(follow_code):
    """The confirmation step: nothing is deleted by following a link."""
    participant = follow_participant(follow_code)
    if participant is None:
        abort(404)
    return render_template("privacy/erase.html", follow_code=follow_code), 200, PERSONAL


@bp.post("/folj/<follow_code>/radera")
def erase(follow_code):
    result = erase_own_input(follow_code)  # OperationError (404) is rendered by pages.py
    flash(_("Erased. Proposals: %(proposals)d, votes: %(votes)d.",
            proposals=result["proposals"], votes=result["votes"]), "success")
    return redirect(url_for("public.follow", follow_code=follow_code))
