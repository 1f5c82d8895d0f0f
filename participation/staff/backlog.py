"""The measure backlog's staff pages: measures, statuses, CSV import, the investment view, and
the form that links a proposal to a measure (on the review page). All work without JavaScript;
the public measure pages are public/measures.py."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from .. import access
from ..backlog import costs, importer, operations, queries
from ..backlog.chart import macc
from ..backlog.models import Measure, ProposalLink
from ..backlog.numbers import parse_decimal, parse_whole
from ..backlog.shapes import link_dict, measure_dict
from ..backlog.similar import similar_measures
from ..backlog.support import support_for
from ..core import tabular
from ..core.errors import OperationError
from ..core.validate import form_number
from ..extensions import csrf, db
from ..review import links
from ..web import exports
from ..web.auth import staff_page
from ..web.labels import BACKLOG_STATUS_NAMES as STATUS_NAMES
from ..web.labels import LINK_NAMES
from ..web.redirects import safe_next
from .backlog_forms import ImportForm, LinkForm, MeasureForm, StatusForm

bp = Blueprint("backlog", __name__)
NUMBER_FIELDS = {"reduction_low": parse_decimal, "reduction_high": parse_decimal,
                 "investment_sek": parse_whole, "yearly_cost_sek": parse_whole}


manager_required = staff_page(access.may_manage_backlog)


def _measure_or_404(measure_id) -> Measure:
    measure = db.session.get(Measure, measure_id)
    if measure is None:
        abort(404)
    return measure


def _field_error(form, error: OperationError) -> bool:
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        return False
    field.errors = [*field.errors, str(error.message)]
    return True


def _form_data(form) -> dict | None:
    """The form's values as the operations take them; None when a number did not parse."""
    data, ok = {}, True
    for name in operations.FIELDS:
        value = getattr(form, name).data
        if name in NUMBER_FIELDS:
            try:
                value = NUMBER_FIELDS[name](value, name)
            except OperationError as error:
                _field_error(form, error)
                ok = False
        data[name] = value
    return data if ok else None


def _save_error(form, error):
    if not _field_error(form, error):
        flash(str(error.message), "error")


@bp.get("/backlog/")
@manager_required
def index():
    chosen = queries.filters_from(request.args)
    rows = queries.measures(**chosen)
    return render_template("backlog/index.html", rows=[measure_dict(m) for m in rows],
                           chosen=chosen, support=support_for([m.id for m in rows]),
                           figures={m.id: costs.cost_effectiveness(m) for m in rows},
                           focus_areas=queries.focus_areas(), status_names=STATUS_NAMES)


@bp.route("/backlog/new", methods=["GET", "POST"])
@manager_required
def new():
    form = MeasureForm()
    if form.validate_on_submit():
        data = _form_data(form)
        if data is not None:
            try:
                measure = operations.create_measure(current_user, data)["measure"]
            except OperationError as error:
                _save_error(form, error)
            else:
                flash(_("The measure is saved."), "success")
                return redirect(url_for("backlog.edit", measure_id=measure["id"]), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("backlog/edit.html", form=form, measure=None), status


@bp.route("/backlog/<int:measure_id>/edit", methods=["GET", "POST"])
@manager_required
def edit(measure_id):
    measure = _measure_or_404(measure_id)
    form = MeasureForm(obj=None if request.method == "POST" else measure)
    if request.method == "GET":
        for name in NUMBER_FIELDS:
            value = getattr(measure, name)
            getattr(form, name).data = "" if value is None else _number_text(value)
    elif form.validate_on_submit():
        data = _form_data(form)
        if data is not None:
            try:
                operations.update_measure(current_user, measure_id, data)
            except OperationError as error:
                _save_error(form, error)
            else:
                flash(_("The measure is saved."), "success")
                return redirect(url_for("backlog.edit", measure_id=measure_id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("backlog/edit.html", form=form, measure=measure_dict(measure),
                           status_form=StatusForm(status=measure.status),
                           history=queries.history_shapes(measure.id),
                           status_names=STATUS_NAMES), status


def _number_text(value) -> str:
    # Swedish pages write the decimal comma and spaces between thousands; the parser reads both.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    # Fixed point: "1e-05" would not be read back by the parser.
    return f"{value:f}".rstrip("0").rstrip(".").replace(".", ",")


@bp.post("/backlog/<int:measure_id>/status")
@manager_required
def set_status(measure_id):
    _measure_or_404(measure_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        operations.change_status(current_user, measure_id, form.status.data,
                                 form.reason.data or None)
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The status is changed."), "success")
    return redirect(url_for("backlog.edit", measure_id=measure_id) + "#status", 303)


@bp.post("/backlog/<int:measure_id>/delete")
@manager_required
def delete(measure_id):
    _measure_or_404(measure_id)
    if not StatusForm().validate_on_submit():  # any FlaskForm: only the CSRF token matters
        abort(400)
    try:
        operations.delete_measure(current_user, measure_id)
    except OperationError as error:
        flash(str(error.message), "error")
        return redirect(url_for("backlog.edit", measure_id=measure_id), 303)
    flash(_("The measure is deleted."), "success")
    return redirect(url_for("backlog.index"), 303)


def import_limit() -> int:
    return current_app.config["BACKLOG_IMPORT_MAX_BYTES"]


@bp.route("/backlog/import", methods=["GET", "POST"])
@csrf.exempt  # checked by the form itself, once the larger request limit is set
@manager_required
def import_page():
    problems, error = [], None
    if request.method == "POST":
        # The site's request limit is for small forms; a portfolio file may be larger.
        request.max_content_length = import_limit() + 64 * 1024
        try:
            form = ImportForm()
            valid = form.validate_on_submit()
        except RequestEntityTooLarge:
            form, valid = ImportForm(formdata=None), False
            error = _("The file is too large: at most %(n)d kB.", n=import_limit() // 1024)
        if valid:
            upload = form.file.data
            raw = upload.read(import_limit() + 1) if upload else b""
            try:
                result = importer.import_csv(current_user, raw, import_limit())
            except importer.ImportRefused as refused:
                problems, error = refused.problems, str(refused.message)
            except OperationError as refused:
                error = str(refused.message)
            else:
                flash(ngettext("%(num)d measure imported.", "%(num)d measures imported.",
                               result["imported"]), "success")
                return redirect(url_for("backlog.index"), 303)
        elif error is None:
            abort(400)
        return render_template("backlog/import.html", form=form, problems=problems,
                               error=error, limit=import_limit()), 422
    return render_template("backlog/import.html", form=ImportForm(), problems=[], error=None,
                           limit=import_limit())


@bp.post("/backlog/proposals/<int:proposal_id>/link")
@manager_required
def link(proposal_id):
    form = LinkForm()
    back = safe_next(form.next.data, url_for("backlog.index"))
    if not form.validate_on_submit():
        abort(400)
    measure_id = form.measure_id.data
    measure_id = form_number(measure_id) if measure_id else None
    try:
        links.link_proposal(current_user, proposal_id, form.kind.data,
                                 measure_id=measure_id, reason=form.reason.data or None)
    except OperationError as error:
        if error.status == 404 and error.code == "proposal_not_found":
            abort(404)
        flash(_("Check the form: %(errors)s", errors=str(error.message)), "error")
    else:
        flash(_("The proposal is linked to the backlog."), "success")
    return redirect(back, 303)


@bp.post("/backlog/proposals/<int:proposal_id>/unlink")
@manager_required
def unlink(proposal_id):
    form = LinkForm()
    back = safe_next(form.next.data, url_for("backlog.index"))
    if not form.validate_on_submit():
        abort(400)
    try:
        links.unlink_proposal(current_user, proposal_id)
    except OperationError as error:
        if error.code == "proposal_not_found":
            abort(404)
        flash(str(error.message), "error")
    else:
        flash(_("The link is removed."), "success")
    return redirect(back, 303)


def _measure_choices(proposal):
    """The measure select: the measures most like the proposal first (backlog/similar.py), in
    their own group, then all the others by title."""
    def text(key):
        value = proposal.get(key) if isinstance(proposal, dict) else getattr(proposal, key, None)
        return value if isinstance(value, str) else ""

    choices = db.session.execute(select(Measure.id, Measure.title).order_by(Measure.title)).all()
    alike = similar_measures(text("title"), text("body"))
    titles = dict(choices)
    rest = [(str(i), t) for i, t in choices if i not in alike]
    if not alike:
        return [("", _("Choose a measure")), *rest]
    # WTForms renders a dict of lists as <optgroup>s in insertion order (None: no group).
    return {None: [("", _("Choose a measure"))],
            _("Most like this proposal"): [(str(i), titles[i]) for i in alike if i in titles],
            _("Other measures"): rest}


def link_context(proposal) -> dict | None:
    """What templates/backlog/_link_form.html needs; None for whoever may not link."""
    if not access.may_manage_backlog(current_user) or proposal is None:
        return None
    proposal_id = proposal["id"] if isinstance(proposal, dict) else proposal.id
    current = db.session.scalar(select(ProposalLink).where(
        ProposalLink.proposal_id == proposal_id))
    form = LinkForm(formdata=None, kind=current.kind if current else "supports",
                    measure_id=str(current.measure_id) if current and current.measure_id else "",
                    reason=current.reason if current else "")
    form.measure_id.choices = _measure_choices(proposal)
    form.next.data = request.full_path.rstrip("?") if request.query_string else request.path
    measure = db.session.get(Measure, current.measure_id) if current and current.measure_id \
        else None
    return {"form": form, "link": link_dict(current) if current else None,
            "measure": measure_dict(measure) if measure else None, "proposal_id": proposal_id,
            "kind_names": LINK_NAMES}


def _investment_data():
    chosen = queries.filters_from(request.args)
    return chosen, queries.investment_rows(**chosen)


@bp.get("/backlog/investment")
@manager_required
def investment():
    chosen, rows = _investment_data()
    fmt = request.args.get("format")
    if fmt:
        if fmt not in tabular.FORMATS:
            abort(400)
        # The page's CSV link asks for excel-sv (docs/exports.md).
        return tabular.download("klimatinvesteringar", queries.EXPORT_COLUMNS,
                                [queries.export_row(r) for r in rows], fmt,
                                exports.requested_dialect(), exports.MEASURES)
    chart = macc([(r["measure"], r["figures"]) for r in rows],
                 {r["measure"]["id"]: r["support"]["share"] for r in rows})
    return render_template("backlog/investment.html", rows=rows, chart=chart, chosen=chosen,
                           bar_of={b["measure"]["id"]: b for b in chart["bars"]},
                           focus_areas=queries.focus_areas(),
                           status_names=STATUS_NAMES, lifetime=costs.LIFETIME_YEARS)


def register(app):
    app.config.setdefault("BACKLOG_IMPORT_MAX_BYTES", 1024 * 1024)
    app.jinja_env.globals["backlog_link_context"] = link_context
    app.jinja_env.filters["sek"] = lambda v: "–" if v is None else f"{v:,.0f}".replace(",", " ")
    app.jinja_env.filters["tonnes"] = _tonnes


def _tonnes(value) -> str:
    if value is None:
        return "–"
    text = f"{value:,.1f}".replace(",", " ").replace(".", ",")
    return text[:-2] if text.endswith(",0") else text

