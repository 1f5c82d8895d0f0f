"""One structured line and one metric per write, whatever the channel: form post, REST call or
Socket.IO command.

A line says which event (its id), the channel, the kind (the command or the view's name), the
outcome (ok, or the refusal's code), how long the answer took, which process answered and the
request id; never a title, body, name, e-mail, address, token or participant id.
"""

import logging
import os
import socket
import time
import uuid

from flask import current_app, g, has_app_context

from ..core import bus
from . import metrics

LOGGER = "participation.writes"
logger = logging.getLogger(LOGGER)
_HOST = socket.gethostname()


def process_label() -> str:
    """SERVER_NAME_TAG when set, else host:pid: which process answered."""
    tag = current_app.config.get("SERVER_NAME_TAG") if has_app_context() else None
    return tag or f"{_HOST}:{os.getpid()}"


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


def record(channel: str, kind: str, outcome: str, started: float, *, event_id: int | None,
           request_id: str, read: bool = False, **fields) -> None:
    """Log and count one answered write (`read`: a command that writes nothing, logged at
    DEBUG so a typing resident's duplicate hints do not flood the log, but still counted)."""
    seconds = time.perf_counter() - started
    metrics.observe(channel, kind, outcome, seconds)
    duration = round(seconds * 1000, 1)
    if event_id is None:
        event_id = g.get("write_event_id") if has_app_context() else None
    entry = {"channel": channel, "kind": kind, "outcome": outcome, "event_id": event_id,
             "duration_ms": duration, "process_label": process_label(), "request_id": request_id,
             **fields}
    logger.log(logging.DEBUG if read else logging.INFO, "%s %s %s %sms", channel, kind,
               outcome, duration, extra=entry)


def _remember_event(domain_event) -> None:
    # A write whose URL names no event (REST /proposals/<id>/votes) learns it from the domain
    # event its operation publishes after commit.
    if has_app_context():
        g.write_event_id = domain_event.event_id


bus.published.connect(_remember_event, weak=False)
