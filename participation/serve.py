"""`python wsgi.py`: serve with gevent on HOST:PORT and say where phones can join; stop
gracefully on SIGTERM (participation/shutdown.py)."""

import fcntl
import socket
import struct

from sqlalchemy import select


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


def serve(app, socketio):
    host, port = app.config["HOST"], app.config["PORT"]
    if not app.config.get("PUBLIC_BASE_URL"):
        public_host = host
        if host in ("0.0.0.0", "::", ""):
            public_host = next(iter(lan_addresses()), "127.0.0.1")
        app.config["PUBLIC_BASE_URL"] = f"http://{public_host}:{port}"
    base = app.config["PUBLIC_BASE_URL"]

    from .events.models import Event
    from .extensions import db

    with app.app_context():
        events = db.session.scalars(
            select(Event).where(Event.phase != "closed").order_by(Event.id.desc()).limit(3)
        ).all()
        print(f"\n  Facilitator console: {base}/login", flush=True)
        for event in events:
            print(f"  Residents join «{event.title}»: {base}/j/{event.code}", flush=True)
        print(f"  Serving on {host}:{port} (async mode: {socketio.async_mode})\n", flush=True)
    from .core.sqlite import start_background_checkpoints
    from .events.schedule import start_loop

    with app.app_context():
        start_background_checkpoints(db.engine)

    start_loop(app)  # scheduled events open and close on their own while we serve
    if socketio.async_mode != "gevent":
        socketio.run(app, host=host, port=port, log_output=app.config["ACCESS_LOG"],
                     allow_unsafe_werkzeug=True)
        return
    from .shutdown import serve_until_stopped

    serve_until_stopped(app, socketio, host, port)
