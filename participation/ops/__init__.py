"""Operations: /healthz, request logs, the staff audit log, backups."""


def init_app(app):
    from . import cli, health, logs, models  # noqa: F401

    logs.configure(app)
    app.register_blueprint(health.bp)
    app.cli.add_command(cli.backup_command)
