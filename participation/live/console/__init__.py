"""The facilitator's console: /events/<id>/console and every button on it, as plain form posts
that static/js/console.js keeps live. Its moderation forms are in actions.py, the referensgrupp
section in members.py, the event's team in team.py."""

from flask import Blueprint

bp = Blueprint("console", __name__)

from . import actions, members, plan, team, views  # noqa: E402,F401  (routes on bp)
