"""The city's side of "who took part" (demographics/): its districts and population figures,
imported as CSV, and the one question of its own. For the project team (reviewers, admins)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import StringField, TextAreaField

from .. import access
from ..core.csvfile import ImportRefused
from ..core.errors import OperationError
from ..demographics import operations
from ..demographics.models import AGE_BANDS, FILE_EXAMPLE, PopulationGroup
from ..extensions import db
from ..web.auth import staff_page

bp = Blueprint("population", __name__, url_prefix="/review/population")


class PopulationForm(FlaskForm):
    file = FileField(_l("CSV file"))


class ExtraQuestionForm(FlaskForm):
    text = StringField(_l("The question (empty: no question of our own)"))
    options = TextAreaField(_l("Answers, one per line"))


def _groups() -> list[dict]:
    return [{"dimension": g.dimension, "label": g.label, "residents": g.residents}
            for g in db.session.scalars(select(PopulationGroup)
                                        .order_by(PopulationGroup.dimension,
                                                  PopulationGroup.position))]


def _page(status=200, problems=(), error=None, question_form=None):
    offered = operations.options()
    question_form = question_form or ExtraQuestionForm(
        formdata=None, text=offered["extra_question"] or "", options="\n".join(offered["extra"]))
    return render_template("review/population.html", groups=_groups(), problems=problems,
                           error=error, form=PopulationForm(formdata=None),
                           question_form=question_form, age_bands=AGE_BANDS,
                           example=FILE_EXAMPLE, limit=operations.FILE_LIMIT), status


@bp.get("")
@staff_page(access.may_manage_population)
def page():
    return _page()


@bp.post("")
@staff_page(access.may_manage_population)
def upload():
    form = PopulationForm()
    if not form.validate_on_submit():
        abort(400)
    raw = form.file.data.read(operations.FILE_LIMIT + 1) if form.file.data else b""
    try:
        count = operations.import_population(current_user, raw)
    except ImportRefused as refused:
        return _page(422, refused.problems, str(refused.message))
    except OperationError as refused:
        # A form understood whose file is refused (empty, too large, not CSV): 422, as the
        # backlog's import page answers; the page says what to fix.
        status = 422 if refused.status in (400, 413) else refused.status
        return _page(status, error=str(refused.message))
    flash(_("Imported %(n)d groups.", n=count), "success")
    return redirect(url_for("population.page"), 303)


@bp.post("/question")
@staff_page(access.may_manage_population)
def question():
    form = ExtraQuestionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        operations.set_extra_question(current_user, form.text.data, form.options.data)
    except OperationError as refused:
        getattr(form, refused.field if refused.field in ("text", "options") else "text"
                ).errors = [str(refused.message)]
        return _page(422, question_form=form)
    flash(_("Saved."), "success")
    return redirect(url_for("population.page") + "#extra", 303)
