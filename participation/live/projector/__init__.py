"""The room's big screen and what is printed for the room: the projector view, the A4 poster,
the table cards (with each table's scribe card)."""

from flask import Blueprint

bp = Blueprint("projector", __name__)

from . import views  # noqa: E402,F401  (routes on bp)
