"""participation: live citizen proposals and votes for climate-neutral cities."""

from pathlib import Path

from flask import Flask, session
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import config
from .core.jsonsafe import SafeJSONProvider, SocketJSON
from .core.time import local_date, local_datetime, local_time
from .core.validate import ID_MAX
from .extensions import babel, csrf, db, login_manager, migrate, socketio
from .live.socket.origins import origin_checker

ROOT = Path(__file__).resolve().parent.parent


class BoundedInt(IntegerConverter):
    # Werkzeug checks a rule's methods before its converter: a number the converter refuses
    # after matching would make a 405 (the other method's route matched). So the pattern
    # itself stops at ID_MAX (2147483647) and a bigger id matches no route: a 404.
    regex = (r"\d{1,9}|1\d{9}|20\d{8}|21[0-3]\d{7}|214[0-6]\d{6}|2147[0-3]\d{5}"
             r"|21474[0-7]\d{4}|214748[0-2]\d{3}|2147483[0-5]\d{2}|21474836[0-3]\d"
             r"|214748364[0-7]")

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", ID_MAX)
        super().__init__(url_map, *args, **kwargs)


def create_app(overrides: dict | None = None) -> Flask:
    """The layers, bottom up: core (plumbing) and the domains (models, operations, queries,
    shapes; access.py decides who may do what) know nothing of requests. On top, the screens:
    web/ (what they share), live/ (phone, console, projector, sockets), public/, staff/, api/.
    """
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        # Served by web/assets.py under content-addressed paths, not by Flask's static route.
        static_folder=None,
    )
    app.static_folder = str(ROOT / "static")
    app.config.update(config.load(Path(app.instance_path)))
    app.config.update(overrides or {})
    # <int:...> in every route stops at what a database id can be: bigger is a 404, not a crash.
    app.url_map.converters["int"] = BoundedInt
    app.json = SafeJSONProvider(app)  # no RecursionError from a deep body
    app.json.sort_keys = False
    if app.config["PROXY_HOPS"]:
        # Behind nginx: trust X-Forwarded-For/Proto/Host from that many proxies, no more.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    # Templates get the person as a plain `viewer` dict (web/__init__.py), never `current_user`.
    login_manager.init_app(app, add_context_processor=False)
    from .web.language import select_locale

    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["local_date"] = local_date
    # Socket handlers must be declared before init_app: Flask-SocketIO keeps them only while no
    # server exists yet, then registers them on every server it creates (one per app).
    from .live.socket import commands, connect  # noqa: F401

    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        cors_allowed_origins=origin_checker(app),
        message_queue=app.config["REDIS_URL"],
        channel=app.config["SOCKETIO_CHANNEL"],
        manage_session=False,
        # Each connection's events run in its reader, one after another: no greenlet per event
        # (a tenth of a vote's server time), and one request context per connection
        # (socketio_server.py). A phone has one write in flight at a time anyway.
        async_handlers=False,
        # A phone that lost its network stops counting as connected within 20 s (presence).
        ping_interval=10,
        ping_timeout=10,
        max_http_buffer_size=64 * 1024,
        json=SocketJSON,  # packets decoded depth-checked
    )

    from .web.draining import CloseWhenDraining

    # Outside Engine.IO's middleware: a stopping process ends every connection it answers.
    app.wsgi_app = CloseWhenDraining(app.wsgi_app)

    if app.config["LB_COOKIE"] or app.config["SERVER_NAME_TAG"]:
        from .web.routing import RoutingCookie

        # Outside Engine.IO's middleware, so Socket.IO's polling answers carry it too.
        app.wsgi_app = RoutingCookie(app.wsgi_app, app.config["LB_COOKIE"],
                                     app.config["SERVER_NAME_TAG"],
                                     secure=app.config["SESSION_COOKIE_SECURE"])

    from .core import sqlite

    with app.app_context():
        sqlite.configure(db.engine)

    # Every domain's tables exist from the start (migrations compare them).
    from . import (
        api,
        demo,
        live,
        models,  # noqa: F401
        public,
        staff,
        web,
    )
    from .accounts import cli as accounts_cli
    from .events import schedule
    from .ops import cli as ops_cli
    from .ops.config_cli import config_cli
    from .privacy import cli as privacy_cli
    from .web.mail_outbox import mail_cli

    web.init_app(app)
    live.init_app(app)
    staff.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(api.bp)
    for command in (accounts_cli.users, demo.demo_cli, schedule.schedule_cli,
                    ops_cli.backup_command, ops_cli.restore_command,
                    privacy_cli.privacy_cli, config_cli, mail_cli):
        app.cli.add_command(command)

    @app.before_request
    def _keep_session():
        # Only when not yet: setting it marks the session changed, and a staff session's
        # record would be written again on every request (web/sessions.py).
        if not session.permanent:
            session.permanent = True

    return app
