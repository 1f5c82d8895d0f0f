"""The resident's phone: /j/<code> and everything a resident does, as plain form posts that
JavaScript (static/js/phone.js) enhances into live, acknowledged socket writes."""

from flask import Blueprint

bp = Blueprint("phone", __name__)

from . import actions, invitation, views  # noqa: E402,F401  (routes on bp)
