"""The staff's own pages: logging in (a password, or single sign-on: sso.py), the events list
and the create form, the project team's review pages, the measure backlog and one's own API
keys. (Running an event is the live console: live/console/.)"""


def init_app(app):
    from . import accounts, backlog, dashboard, review, sso, tokens

    for blueprint in (accounts.bp, dashboard.bp, review.bp, backlog.bp, tokens.bp):
        app.register_blueprint(blueprint)
    sso.init_app(app)
    backlog.register(app)
