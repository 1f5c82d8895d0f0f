"""The notices every visitor may read: /integritet (what we keep about residents, and for how
long) and /tillganglighet (the accessibility statement in DIGG's model)."""

from datetime import date

from flask import current_app, render_template
from flask_babel import format_date

from ..core.mail import resident_mail_on
from ..demographics import operations as demographics
from . import bp

DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"


@bp.get("/integritet")
def privacy():
    return render_template("privacy/notice.html",
                           retention_days=current_app.config["RETENTION_DAYS"],
                           who=demographics.options(),
                           mail_on=resident_mail_on(current_app.config))


@bp.get("/tillganglighet")
def accessibility():
    config = current_app.config
    return render_template(
        "accessibility/statement.html",
        contact=config["ACCESSIBILITY_CONTACT"],
        organisation=config["ACCESSIBILITY_ORGANISATION"],
        tested_on=format_date(date.fromisoformat(config["ACCESSIBILITY_TESTED_ON"]), "long"),
        digg_url=DIGG_REPORT_URL,
    )
