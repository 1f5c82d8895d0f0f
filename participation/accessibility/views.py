"""/tillganglighet: the statement in DIGG's model, in the visitor's language."""

from datetime import date

from flask import Blueprint, current_app, render_template
from flask_babel import format_date

bp = Blueprint("accessibility", __name__)

DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"


@bp.get("/tillganglighet")
def statement():
    config = current_app.config
    return render_template(
        "accessibility/statement.html",
        contact=config["ACCESSIBILITY_CONTACT"],
        organisation=config["ACCESSIBILITY_ORGANISATION"],
        tested_on=format_date(date.fromisoformat(config["ACCESSIBILITY_TESTED_ON"]), "long"),
        digg_url=DIGG_REPORT_URL,
    )
