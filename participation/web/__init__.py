"""What every screen shares: the request's identity cookie, staff page guards, links, labels,
the pages that belong to no screen (home, language, errors, /healthz), security headers, rate
limits, request and write logs (logs, writes) and /metrics. Screens (live/, public/, staff/,
api/) build on this; domains never import it."""

from flask import Response


def init_app(app):
    from . import (
        assets,
        auth,
        headers,
        health,
        labels,
        language,
        limits,
        logs,
        metrics,
        pages,
        sessions,
    )

    assets.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(metrics.bp)
    labels.register(app)
    language.register(app)
    logs.configure(app)
    headers.init_app(app)
    sessions.init_app(app)
    limits.init_app(app)
    # Templates get what the header needs of the person as a plain dict (`viewer`), never the
    # account object (create_app keeps Flask-Login from handing them `current_user`).
    app.context_processor(lambda: {"viewer": auth.viewer_context()})


def svg_response(svg: bytes, public: bool = True) -> Response:
    response = Response(svg, mimetype="image/svg+xml")
    # A scribe's card secret must not sit in a shared cache.
    response.headers["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response
