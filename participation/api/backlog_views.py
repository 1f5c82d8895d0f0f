"""REST for the measure backlog: measures, status, CSV import, links, investment data, export."""

from typing import Annotated, Literal, NotRequired

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from pydantic import Field
from typing_extensions import TypedDict

from .. import access
from ..backlog import costs, importer, operations, queries
from ..backlog.models import MEASURE_STATUSES
from ..core import tabular
from ..core.declare import keys_of
from ..core.errors import OperationError, not_found
from ..review import links
from ..review.outcomes import LinkedProposal, measure_page
from ..web import exports
from .auth import json_body, staff_user
from .contract import PUBLIC, STAFF, Answer, route

MeasureTable = tabular.table_of("MeasureTable", queries.MeasureExport)
MeasureDetail = TypedDict("MeasureDetail", {
    **keys_of(queries.MeasureRow), "history": Annotated[list[queries.HistoryEntry], Field(
        description="Its public status history.")], "linked": list[LinkedProposal]})


class MeasureFilters(TypedDict):
    focus_area: NotRequired[str]
    status: NotRequired[Literal[MEASURE_STATUSES]]
    format: NotRequired[Annotated[Literal[tuple(tabular.FORMATS)], Field(description=(
        "A file with the columns " + ", ".join(queries.EXPORT_COLUMNS) + "."))]]
    dialect: NotRequired[tabular.Dialect]


class MeasureList(TypedDict):
    measures: list[queries.MeasureRow]


class Investment(TypedDict):
    lifetime_years: Annotated[int, Field(description="Investments are spread over these.")]
    measures: Annotated[list[queries.MeasureRow], Field(description="Cheapest tonne first.")]


def _files(shape, description: str) -> Answer:
    return Answer(shape | MeasureTable, description, filename="atgarder")


def _manager():
    user = staff_user()
    access.require_manage_backlog(user)
    return user


def _export(rows, dialect):
    fmt = request.args.get("format")
    if fmt not in tabular.FORMATS:
        raise OperationError("invalid_format", _("Choose csv, xlsx or json."), 400,
                             field="format")
    return tabular.download("atgarder", queries.EXPORT_COLUMNS,
                            [queries.export_row(r) for r in rows], fmt, dialect,
                            exports.MEASURES)


@route("GET", "/measures", "The measures with support and cost per tonne (public)",
       auth=PUBLIC, query=MeasureFilters, errors=(400,),
       answers={200: _files(MeasureList, "JSON, or the file in the chosen format (by id)")})
def list_measures():
    """Public data (what the measure pages show): no login needed. `format=` gives a file."""
    dialect = exports.requested_dialect()  # a wrong one is a 400, with format= or without
    rows = queries.investment_rows(**queries.filters_from(request.args), public=True)
    rows.sort(key=lambda r: r["measure"]["id"])
    if request.args.get("format") is not None:
        return _export(rows, dialect)
    return jsonify({"measures": [queries.api_row(r) for r in rows]})


@route("POST", "/measures", "Create a measure (reviewers, admins)", auth=STAFF,
       body=operations.NewMeasure, answers={201: operations.MeasureResult},
       errors=(400, 401, 403))
def create_measure():
    data = json_body()
    status, reason = data.pop("status", "idea"), data.pop("reason", None)
    result = operations.create_measure(staff_user(), data, status, reason)
    return jsonify(result), 201


@route("GET", "/measures/<int:measure_id>",
       "One measure with its figures and public status history", auth=PUBLIC,
       answers={200: MeasureDetail}, errors=(404,))
def get_measure(measure_id):
    page = measure_page(measure_id)
    if page is None:
        raise not_found("measure_not_found")
    return jsonify(page.pop("measure") | page)


@route("PATCH", "/measures/<int:measure_id>", "Change some fields of a measure", auth=STAFF,
       body=operations.MeasureFields, answers={200: operations.MeasureResult},
       errors=(400, 401, 403, 404))
def update_measure(measure_id):
    return jsonify(operations.update_measure(staff_user(), measure_id, json_body()))


@route("DELETE", "/measures/<int:measure_id>", "Delete a measure no proposal is linked to",
       auth=STAFF, answers={200: operations.Deleted}, errors=(401, 403, 404, 409))
def delete_measure(measure_id):
    return jsonify(operations.delete_measure(staff_user(), measure_id))


@route("POST", "/measures/<int:measure_id>/status",
       "Change the status: forward freely; back, to rejected or out of it only with a public "
       "reason", auth=STAFF, body=operations.StatusChange,
       answers={200: operations.MeasureResult}, errors=(400, 401, 403, 404, 409))
def change_measure_status(measure_id):
    data = json_body()
    return jsonify(operations.change_status(staff_user(), measure_id, data.get("status"),
                                            data.get("reason")))


@route("POST", "/measures/import", "Import a portfolio CSV: all rows or none (docs/backlog.md)",
       auth=STAFF, upload=True,
       answers={201: Answer(importer.Imported, "Imported"),
                422: Answer(importer.ImportProblems, "Nothing imported: the problems per row")},
       errors=(400, 401, 403, 413))
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


@route("GET", "/measures/investment", "The climate investment view's data: cheapest tonne first",
       auth=PUBLIC, query=MeasureFilters, errors=(400,),
       answers={200: _files(Investment, "JSON, or the file in the chosen format")})
def investment():
    """Cheapest tonne first, with the support; `format=csv|xlsx|json` gives the open-data file."""
    dialect = exports.requested_dialect()
    rows = queries.investment_rows(**queries.filters_from(request.args), public=True)
    if request.args.get("format") is not None:
        return _export(rows, dialect)
    return jsonify({"lifetime_years": costs.LIFETIME_YEARS,
                    "measures": [queries.api_row(r) for r in rows]})


def _measure_id(value):
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise OperationError("invalid_type", _("Choose a measure."), field="measure_id")


@route("PUT", "/proposals/<int:proposal_id>/link",
       "Link a proposal to the backlog (replaces its link); sets its review status",
       auth=STAFF, body=links.LinkRequest, answers={200: links.LinkResult},
       errors=(400, 401, 403, 404, 409))
def link_proposal(proposal_id):
    data = json_body()
    new_fields = data.get("new_measure")
    if new_fields is not None and not isinstance(new_fields, dict):
        raise OperationError("invalid_type", _("Send a JSON object."), field="new_measure")
    return jsonify(links.link_proposal(
        staff_user(), proposal_id, data.get("kind"), measure_id=_measure_id(
            data.get("measure_id")), reason=data.get("reason"), new_measure_fields=new_fields))


@route("DELETE", "/proposals/<int:proposal_id>/link",
       "Remove the link; the proposal is back in review", auth=STAFF,
       answers={200: links.LinkResult}, errors=(401, 403, 404, 409))
def unlink_proposal(proposal_id):
    return jsonify(links.unlink_proposal(staff_user(), proposal_id))


