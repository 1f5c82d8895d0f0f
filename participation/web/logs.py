"""Request logs without personal data: method, route template, status, duration.

The route template (`/folj/<follow_code>`) is logged, never the path: paths carry follow codes,
invitation tokens and event codes. No IP address, user agent, cookie or name is ever logged.
LOG_FORMAT=json writes one JSON object a line (for a log shipper); otherwise plain text.
"""

import json
import logging
import time

from flask import g, request

LOGGER = "participation.requests"


class JsonFormatter(logging.Formatter):
    FIELDS = ("method", "route", "status", "duration_ms")

    def format(self, record):
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                 "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        entry.update({f: getattr(record, f) for f in self.FIELDS if hasattr(record, f)})
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

    @app.before_request
    def _start_clock():
        g._request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        started = g.pop("_request_started", None)
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        # url_rule is the template; a request that matched no route logs no path at all.
        route = request.url_rule.rule if request.url_rule else "<unmatched>"
        logger.info("%s %s %s %sms", request.method, route, response.status_code, duration,
                    extra={"method": request.method, "route": route,
                           "status": response.status_code, "duration_ms": duration})
        return response
