"""Request logs without personal data: method, route template, status, duration.

The route template (`/folj/<follow_code>`) is logged, never the path: paths carry follow codes,
invitation tokens and event codes. No IP address, user agent, cookie or name is ever logged.
A write (POST, PUT, PATCH, DELETE) is logged once, as a write (web/writes.py: channel form or
rest, kind, outcome, event id, process, request id); other requests on participation.requests.
LOG_FORMAT=json writes one JSON object a line (for a log shipper); otherwise plain text.
"""

import json
import logging
import re
import time

from flask import g, message_flashed, request, request_started

from ..core.errors import last_refusal
from . import writes

LOGGER = "participation.requests"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# nginx's $request_id (deploy/nginx), passed on as X-Request-ID; anything else gets a new one.
REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
# A refusal no OperationError names (a form that did not validate, Flask-Limiter, CSRF).
STATUS_OUTCOMES = {422: "invalid_input", 429: "rate_limited"}


class JsonFormatter(logging.Formatter):
    FIELDS = ("channel", "kind", "outcome", "event_id", "method", "route", "status",
              "duration_ms", "process_label", "request_id")
    # LogRecord has its own `process` (the pid), so the label travels under another name.
    NAMES = {"process_label": "process"}

    def format(self, record):
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                 "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        entry.update({self.NAMES.get(f, f): getattr(record, f)
                      for f in self.FIELDS if hasattr(record, f)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(app) -> None:
    base = logging.getLogger("participation")
    if app.config.get("LOG_FORMAT") == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        base.handlers = [handler]
        base.propagate = False  # one line per entry, not a second plain copy via the root
    elif not base.handlers and not logging.getLogger().handlers:
        # Nobody configured logging (python wsgi.py): plain lines on stderr.
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        base.addHandler(handler)
    if base.level == logging.NOTSET:
        base.setLevel(logging.INFO)
    logger = logging.getLogger(LOGGER)

    # On request_started, which comes before every before_request function: CSRFProtect's
    # own refuses a form post before ours would run, and that refusal is a write to log too.
    @request_started.connect_via(app)
    def _start_clock(_sender, **_extra):
        g._request_started = time.perf_counter()
        last_refusal.set(None)  # a keep-alive connection's greenlet serves the next request
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else writes.new_request_id()

    # A console form refused shows the refusal as an error message and redirects (302): its
    # outcome is the refusal, not the redirect's "ok".
    @message_flashed.connect_via(app)
    def _note_flashed_refusal(_sender, message, category, **_extra):
        if category == "error":
            g.flashed_refusal = last_refusal.get() or STATUS_OUTCOMES[422]

    @app.after_request
    def _log_request(response):
        started = g.pop("_request_started", None)
        # url_rule is the template; a request that matched no route logs no path at all.
        route = request.url_rule.rule if request.url_rule else "<unmatched>"
        if started is not None and request.method in UNSAFE:
            _log_write(response, route, started)
            return response
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        logger.info("%s %s %s %sms", request.method, route, response.status_code, duration,
                    extra={"method": request.method, "route": route,
                           "status": response.status_code, "duration_ms": duration})
        return response


def _outcome(status: int) -> str:
    if status < 400:
        # A refusal caught and recovered from inside the write is not its outcome; one shown
        # to the person as an error is.
        return g.get("flashed_refusal") or "ok"
    if status >= 500:
        return "server_error"
    return last_refusal.get() or STATUS_OUTCOMES.get(status, f"http_{status}")


def _log_write(response, route: str, started: float) -> None:
    # The view's name is the kind (api.vote: vote); the channel, whether it came by REST.
    endpoint = request.endpoint or "unmatched"
    channel = "rest" if endpoint.startswith("api.") else "form"
    event_id = (request.view_args or {}).get("event_id")
    request_id = g.get("request_id") or writes.new_request_id()
    response.headers["X-Request-ID"] = request_id
    writes.record(channel, endpoint.rsplit(".", 1)[-1], _outcome(response.status_code),
                  started, event_id=event_id, request_id=request_id,
                  method=request.method, route=route, status=response.status_code)
