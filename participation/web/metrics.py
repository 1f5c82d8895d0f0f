"""/metrics: this process's Prometheus text, for the monitoring network or an admin only.

Each process counts for itself (no shared state): with several processes, Prometheus scrapes
every process on its own port (docs/deploy.md#monitoring), never through nginx's one address.
Labels are kinds and outcomes, never ids, names or addresses.
"""

import ipaddress

from flask import Blueprint, Response, current_app, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

from ..accounts.tokens import authenticate_token
from ..core.errors import OperationError
from ..proposals.operations import ballots

bp = Blueprint("metrics", __name__)

WRITES = Counter("participation_writes", "Writes answered, by channel, kind and outcome "
                 "(ok or the refusal's code).", ("channel", "kind", "outcome"))
ACK_SECONDS = Histogram("participation_ack_seconds", "From receiving a write to its answer "
                        "(the socket ack, the HTTP response).", ("channel",),
                        buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
ERRORS = Counter("participation_errors", "Writes that failed on the server (server_error, "
                 "HTTP 5xx), by channel.", ("channel",))
# Set by the socket layer (live/socket/connections.py), which knows its sockets.
PHONES = Gauge("participation_connected_phones", "Resident sockets open on this process.")
STAFF_SOCKETS = Gauge("participation_connected_staff", "Console and projector sockets open "
                      "on this process.")
# Group commit of votes (core/group_commit.py): writes over commits is the batch size.
VOTE_COMMITS = Gauge("participation_vote_commits", "Transactions the vote writes of this "
                     "process took (each commits one or more votes), since it started.")
VOTE_WRITES = Gauge("participation_vote_writes", "Vote writes run in those transactions.")
VOTE_COMMITS.set_function(lambda: ballots.batches)
VOTE_WRITES.set_function(lambda: ballots.writes)


def observe(channel: str, kind: str, outcome: str, seconds: float) -> None:
    WRITES.labels(channel, kind, outcome).inc()
    ACK_SECONDS.labels(channel).observe(seconds)
    if outcome == "server_error":
        ERRORS.labels(channel).inc()


def allowed_networks(setting: str) -> list:
    return [ipaddress.ip_network(part, strict=False)
            for part in setting.replace(",", " ").split()]


def _from_allowed_address() -> bool:
    # remote_addr is the socket's peer, or with PROXY_HOPS the address nginx saw: a client
    # cannot claim 127.0.0.1 by sending X-Forwarded-For itself.
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    return any(address in network
               for network in allowed_networks(current_app.config["METRICS_ALLOW"]))


def _admin_token() -> bool:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    try:
        user = authenticate_token(token.strip())
    except OperationError:
        return False
    return user.role == "admin"


@bp.get("/metrics")
def metrics():
    if not (_from_allowed_address() or _admin_token()):
        return jsonify({"error": "forbidden",
                        "message": "Metrics are for METRICS_ALLOW or an admin's token."}), 403
    return Response(generate_latest(), content_type=CONTENT_TYPE_LATEST,
                    headers={"Cache-Control": "no-store"})
