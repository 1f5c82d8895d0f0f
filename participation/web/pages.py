"""Pages that belong to no domain: home, language switch, error pages."""

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from ..core.errors import OperationError, last_refusal
from . import language
from .redirects import safe_next

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    return render_template("home.html")


@bp.get("/join")
def join_by_code():
    code = (request.args.get("code") or "").strip().upper()
    if not code:
        message = _("Enter the code shown on the screen.")
        return render_template("home.html", code_error=message), 400
    return redirect(url_for("phone.join", code=code))


@bp.get("/sprak")
def languages():
    """The language menu: the languages the page the person came from offers (an event's own
    on its phone pages), each in its own name."""
    back = safe_next(request.args.get("next"), url_for("pages.home"))
    event = language.event_of_path(back)
    return render_template("language.html", next=back, choices=language.menu(
        str(get_locale() or "sv"), event))


@bp.post("/lang")
def choose_language():
    """The language menu (a plain form: it works without JavaScript)."""
    language.choose(request.form.get("lang"))
    return redirect(safe_next(request.form.get("next"), url_for("pages.home")))


@bp.post("/lang/<lang>")
def set_language(lang):
    language.choose(lang)
    return redirect(safe_next(request.form.get("next"), url_for("pages.home")))


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def _way_back(status: int) -> tuple[str, str]:
    """Where the person was: their event's page or console, else the start page (also for a
    page not found: the event in the address may be what does not exist)."""
    args = (request.view_args or {}) if status != 404 else {}
    if "code" in args and request.path.startswith("/j/"):
        return url_for("phone.join", code=args["code"]), _("Back to the event")
    if "event_id" in args and request.path.startswith("/events/"):
        return url_for("console.page", event_id=args["event_id"]), _("Back to the console")
    return url_for("pages.home"), _("Back to the start page")


def _error(status: int, code: str, message: str):
    last_refusal.set(code)  # the write's outcome in its log line (web/logs.py)
    if _wants_json():
        return jsonify(error=code, message=message), status
    back_url, back_text = _way_back(status)
    return render_template("error.html", status=status, message=message, back_url=back_url,
                           back_text=back_text), status


@bp.app_errorhandler(CSRFError)
def csrf_error(_e):
    return _error(400, "csrf_failed", _("The form had expired. Reload the page and try again."))


@bp.app_errorhandler(OperationError)
def operation_error(error):
    return _error(error.status, error.code, str(error.message))


@bp.app_errorhandler(404)
def not_found(_e):
    return _error(404, "not_found", _("We could not find that page."))


@bp.app_errorhandler(405)
def method_not_allowed(_e):
    return _error(405, "method_not_allowed", _("That is not allowed here."))


@bp.app_errorhandler(400)
def bad_request(_e):
    return _error(400, "bad_request", _("The request was not understood."))


@bp.app_errorhandler(413)
def too_large(_e):
    return _error(413, "too_large", _("That was too much data. Shorten the text and send it "
                                      "again."))


@bp.app_errorhandler(500)
def server_error(_e):
    return _error(500, "server_error", _("Something went wrong on our side. Try again."))


@bp.app_errorhandler(403)
def forbidden(_e):
    return _error(403, "forbidden", _("You are not allowed to do that."))
