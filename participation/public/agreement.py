"""/var-vi-ar-overens: where the city's groups of residents agree (review/agreement.py), from
events whose results are out only; a referensgrupp is "a reference group", never named."""

from flask import render_template

from ..review.agreement import agreement
from . import bp


@bp.get("/var-vi-ar-overens")
def agreement_page():
    return render_template("review/agreement.html", **agreement())
