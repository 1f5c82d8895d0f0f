"""People-facing names of review statuses and link kinds, translated."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..core.time import local_datetime

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


def iso_local(value: str | None) -> str:
    """An ISO time from the JSON shapes ("…Z", UTC) as the page's local date and time."""
    return local_datetime(datetime.fromisoformat(value.removesuffix("Z"))) if value else ""


def register(app):
    from ..backlog.links import measure_path
    from ..events.links import follow_url

    app.jinja_env.globals.update(follow_url=follow_url, measure_path=measure_path)
    app.jinja_env.filters["iso_local"] = iso_local

    @app.context_processor
    def _review_labels():
        return {"review_status_names": REVIEW_STATUS_NAMES, "link_kind_names": LINK_KIND_NAMES,
                "measure_status_names": MEASURE_STATUS_NAMES, "sort_names": SORT_NAMES}
