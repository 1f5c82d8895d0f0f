"""The staff's own pages: logging in (a password with the second factor, or single sign-on:
sso.py), their own account and API keys, the admins' accounts pages, the events list and the
create form, the project team's review pages and the measure backlog. (Running an event is the
live console: live/console/.)"""


def init_app(app):
    from ..accounts.cli import users
    from . import (
        account_admin,
        account_cli,
        accounts,
        backlog,
        dashboard,
        languages,
        my_account,
        password_reset,
        population,
        report,
        review,
        second_factor,
        sso,
        tokens,
    )

    for blueprint in (accounts.bp, second_factor.bp, password_reset.bp, my_account.bp,
                      account_admin.bp, dashboard.bp, review.bp, report.bp, backlog.bp,
                      tokens.bp, population.bp, languages.bp):
        app.register_blueprint(blueprint)
    sso.init_app(app)
    backlog.register(app)
    # `flask users reset-link` builds a link, which is a screen's job (web/links.py).
    users.add_command(account_cli.reset_link)
