"""People-facing names of phases and kinds, translated."""

from flask_babel import lazy_gettext as _l

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
    "phase_now": _l("The event is now: %(phase)s"),
    "new_proposal": _l("New proposal: %(title)s"),
    "error": _l("Something went wrong. Try again."),
    "people": _l("people"),
    "dots": _l("dots"),
    "hidden_by": _l("Hidden by the facilitator:"),
}


def register(app):
    @app.context_processor
    def _labels():
        return {
            "phase_names": PHASE_NAMES,
            "kind_names": KIND_NAMES,
            "client_strings": {
                "phases": {k: str(v) for k, v in PHASE_NAMES.items()},
                **{k: str(v) for k, v in CLIENT_STRINGS.items()},
            },
        }
