"""Residents' privacy: the notice page, erasing one's own input, and purging after retention."""


def init_app(app):
    from . import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.privacy_cli)
