"""REST for a resident's own erasure: the follow link's code is the key, as on the page."""

from flask import jsonify

from ..privacy.erase import erase_own_input
from . import bp


@bp.post("/follow/<follow_code>/erase")
def erase(follow_code):
    response = jsonify(erase_own_input(follow_code))
    response.headers["Cache-Control"] = "private, no-store"
    return response
