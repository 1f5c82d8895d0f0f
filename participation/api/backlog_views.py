"""REST for the measure backlog: measures, status, CSV import, links, investment data, export."""

from flask import current_app, jsonify, request
from flask_babel import gettext as _

from .. import access
from ..backlog import costs, importer, operations, queries
from ..core import tabular
from ..core.errors import OperationError, not_found
from ..review import links
from ..review.outcomes import measure_page
from . import bp
from .auth import json_body, staff_user


def _manager():
    user = staff_user()
    access.require_manage_backlog(user)
    return user


def _export(rows):
    fmt = request.args.get("format")
    if fmt not in tabular.FORMATS:
        raise OperationError("invalid_format", _("Choose csv, xlsx or json."), 400,
                             field="format")
    return tabular.download("atgarder", queries.EXPORT_COLUMNS,
                            [queries.export_row(r) for r in rows], fmt)


@bp.get("/measures")
def list_measures():
    """Public data (what the measure pages show): no login needed. `format=` gives a file."""
    rows = queries.investment_rows(**queries.filters_from(request.args), public=True)
    rows.sort(key=lambda r: r["measure"]["id"])
    if request.args.get("format") is not None:
        return _export(rows)
    return jsonify({"measures": [queries.api_row(r) for r in rows]})


@bp.post("/measures")
def create_measure():
    data = json_body()
    status, reason = data.pop("status", "idea"), data.pop("reason", None)
    result = operations.create_measure(staff_user(), data, status, reason)
    return jsonify(result), 201


@bp.get("/measures/<int:measure_id>")
def get_measure(measure_id):
    page = measure_page(measure_id)
    if page is None:
        raise not_found("measure_not_found")
    return jsonify(page.pop("measure") | page)


@bp.patch("/measures/<int:measure_id>")
def update_measure(measure_id):
    return jsonify(operations.update_measure(staff_user(), measure_id, json_body()))


@bp.delete("/measures/<int:measure_id>")
def delete_measure(measure_id):
    return jsonify(operations.delete_measure(staff_user(), measure_id))


@bp.post("/measures/<int:measure_id>/status")
def change_measure_status(measure_id):
    data = json_body()
    return jsonify(operations.change_status(staff_user(), measure_id, data.get("status"),
                                            data.get("reason")))


@bp.post("/measures/import")
def import_measures():
    user = _manager()
    limit = current_app.config["BACKLOG_IMPORT_MAX_BYTES"]
    # The file itself is measured by the importer; this only stops a body far too big early.
    if request.content_length is not None and request.content_length > limit + 64 * 1024:
        raise OperationError("file_too_large", _("The file is too large: at most %(n)d kB.",
                                                 n=limit // 1024), 413, field="file")
    request.max_content_length = limit + 64 * 1024
    upload = request.files.get("file") if request.mimetype == "multipart/form-data" else None
    raw = upload.read(limit + 1) if upload is not None else request.get_data(cache=False)
    try:
        result = importer.import_csv(user, raw, limit)
    except importer.ImportRefused as refused:
        return jsonify(refused.to_dict()), refused.status
    return jsonify(result), 201


@bp.get("/measures/investment")
def investment():
    """Cheapest tonne first, with the support; `format=csv|xlsx|json` gives the open-data file."""
    rows = queries.investment_rows(**queries.filters_from(request.args), public=True)
    if request.args.get("format") is not None:
        return _export(rows)
    return jsonify({"lifetime_years": costs.LIFETIME_YEARS,
                    "measures": [queries.api_row(r) for r in rows]})


def _measure_id(value):
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise OperationError("invalid_type", _("Choose a measure."), field="measure_id")


@bp.put("/proposals/<int:proposal_id>/link")
def link_proposal(proposal_id):
    data = json_body()
    new_fields = data.get("new_measure")
    if new_fields is not None and not isinstance(new_fields, dict):
        raise OperationError("invalid_type", _("Send a JSON object."), field="new_measure")
    return jsonify(links.link_proposal(
        staff_user(), proposal_id, data.get("kind"), measure_id=_measure_id(
            data.get("measure_id")), reason=data.get("reason"), new_measure_fields=new_fields))


@bp.delete("/proposals/<int:proposal_id>/link")
def unlink_proposal(proposal_id):
    return jsonify(links.unlink_proposal(staff_user(), proposal_id))


