"""participation: live citizen proposals and votes for climate-neutral cities."""

from pathlib import Path

from flask import Flask, has_request_context, session
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import config
from .core import headers, limits
from .core.time import local_datetime, local_time
from .core.validate import ID_MAX
from .extensions import babel, csrf, db, login_manager, migrate, socketio
from .realtime.origins import origin_checker

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


def select_locale():
    # Outside a request (CLI, background pushes) the default language is Swedish.
    choice = session.get("lang") if has_request_context() else None
    return choice if choice in ("sv", "en") else "sv"


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(config.load(Path(app.instance_path)))
    app.config.update(overrides or {})
    # <int:...> in every route stops at what a database id can be: bigger is a 404, not a crash.
    app.url_map.converters["int"] = BoundedInt
    app.json.sort_keys = False
    if app.config["PROXY_HOPS"]:
        # Behind nginx: trust X-Forwarded-For/Proto/Host from that many proxies, no more.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["local_datetime"] = local_datetime
    # Handlers must be declared before init_app: Flask-SocketIO keeps them only while no server
    # exists yet, then registers them on every server it creates (one per app).
    from .realtime import group_handlers, handlers  # noqa: F401

    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        cors_allowed_origins=origin_checker(app),
        message_queue=app.config["REDIS_URL"],
        channel=app.config["SOCKETIO_CHANNEL"],
        manage_session=False,
        ping_interval=20,
        ping_timeout=25,
        max_http_buffer_size=64 * 1024,
    )

    if app.config["LB_COOKIE"] or app.config["SERVER_NAME_TAG"]:
        from .core.routing import RoutingCookie

        # Outside Engine.IO's middleware, so Socket.IO's polling answers carry it too.
        app.wsgi_app = RoutingCookie(app.wsgi_app, app.config["LB_COOKIE"],
                                     app.config["SERVER_NAME_TAG"],
                                     secure=app.config["SESSION_COOKIE_SECURE"])

    from .core import sqlite

    with app.app_context():
        sqlite.configure(db.engine)

    from .accessibility.views import bp as accessibility_bp
    from .accounts import cli as accounts_cli
    from .accounts.views import bp as accounts_bp
    from .api import bp as api_bp

    # The backlog's and the review's tables exist from the start (migrations compare them).
    from .backlog import models as _backlog_models  # noqa: F401
    from .backlog import views as backlog_views
    from .core import demo, pages
    from .events import labels, schedule
    from .events.views import bp as events_bp
    from .members.views import bp as members_bp
    from .proposals.views import bp as proposals_bp
    from .realtime import group_relay, relay
    from .review import labels as review_labels
    from .review import models as _review_models  # noqa: F401
    from .review.public import bp as public_bp
    from .review.views import bp as review_bp

    for blueprint in (pages.bp, accounts_bp, events_bp, proposals_bp, review_bp, api_bp,
                      members_bp, backlog_views.bp, accessibility_bp):
        app.register_blueprint(blueprint)
    app.cli.add_command(accounts_cli.users)
    app.cli.add_command(demo.demo_cli)
    app.cli.add_command(schedule.schedule_cli)
    relay.init_app(app)
    group_relay.init_app(app)
    labels.register(app)
    backlog_views.register(app)
    review_labels.register(app)
    app.register_blueprint(public_bp)

    from . import ops, privacy

    ops.init_app(app)
    privacy.init_app(app)

    headers.init_app(app)
    limits.init_app(app)

    @app.before_request
    def _keep_session():
        session.permanent = True

    return app
