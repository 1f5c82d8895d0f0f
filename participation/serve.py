"""`python wsgi.py`: serve with gevent on HOST:PORT and say where phones can join; stop
gracefully on SIGTERM (participation/shutdown.py)."""

import fcntl
import logging
import socket
import struct

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger("participation.serve")


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine's interfaces, without sending any packet."""
    found = []
    for _index, name in socket.if_nameindex():
        if name == "lo":
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                packed = fcntl.ioctl(probe.fileno(), 0x8915,  # SIOCGIFADDR
                                     struct.pack("256s", name[:15].encode()))
            except OSError:
                continue
            found.append(socket.inet_ntoa(packed[20:24]))
    return found


def _banner(app, socketio, base: str, host: str, port: int) -> None:
    """For `make run`: where the facilitator logs in and where residents join."""
    from .events.models import Event
    from .extensions import db

    print(f"\n  Facilitator console: {base}/login", flush=True)
    with app.app_context():
        try:
            events = db.session.scalars(
                select(Event).where(Event.phase != "closed").order_by(Event.id.desc()).limit(3)
            ).all()
        except SQLAlchemyError as error:
            # Serve anyway: /healthz/ready says the database is unavailable until it answers.
            logger.error("database unavailable at start: %s", type(error).__name__)
            events = []
        for event in events:
            print(f"  Residents join «{event.title}»: {base}/j/{event.code}", flush=True)
    print(f"  Serving on {host}:{port} (async mode: {socketio.async_mode})\n", flush=True)


def serve(app, socketio):
    host, port = app.config["HOST"], app.config["PORT"]
    if not app.config.get("PUBLIC_BASE_URL"):
        public_host = host
        if host in ("0.0.0.0", "::", ""):
            public_host = next(iter(lan_addresses()), "127.0.0.1")
        app.config["PUBLIC_BASE_URL"] = f"http://{public_host}:{port}"
    base = app.config["PUBLIC_BASE_URL"]

    from .extensions import db

    if app.config.get("LOG_FORMAT") == "json":
        # A log shipper reads one JSON object a line: no banner, one structured line.
        logger.info("serving on %s:%s", host, port, extra={
            "host": host, "port": port, "public_base_url": base,
            "async_mode": socketio.async_mode})
    else:
        _banner(app, socketio, base, host, port)
    from .core.sqlite import start_background_checkpoints
    from .events.schedule import start_loop

    with app.app_context():
        start_background_checkpoints(db.engine)

    start_loop(app)  # scheduled events open and close on their own while we serve
    from .web import mail_outbox

    mail_outbox.start_loop(app)  # residents' opt-in messages, when SMTP is configured
    if socketio.async_mode != "gevent":
        socketio.run(app, host=host, port=port, log_output=app.config["ACCESS_LOG"],
                     allow_unsafe_werkzeug=True)
        return
    from .shutdown import serve_until_stopped

    serve_until_stopped(app, socketio, host, port)
