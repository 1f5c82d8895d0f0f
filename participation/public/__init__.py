"""Public pages, no login: an event's outcome (/offentligt), a resident's own proposals
(/folj), where groups agree (/var-vi-ar-overens), the measures and their decision dossiers
(/atgarder), the privacy notice (/integritet) and the accessibility statement
(/tillganglighet). Each is built from the public shapes in review/outcomes.py (and
review/agreement.py), the same the REST API answers with."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import agreement, events, follow, mail, measures, notices  # noqa: E402,F401  (routes on bp)
