"""Work the serving process repeats in the background (the schedule, residents' mail): each
round in its own app context and database session, and a failed round logged, never fatal."""

from ..extensions import db, socketio


def start_every(app, interval: float, work, what: str):
    """Call `work()` every `interval` seconds while serving (0 or less: never)."""
    if interval <= 0:
        return None

    def loop():
        while True:
            socketio.sleep(interval)
            with app.app_context():
                try:
                    work()
                except Exception:  # keep going; the next round tries again
                    app.logger.exception("%s failed", what)
                finally:
                    db.session.remove()

    return socketio.start_background_task(loop)
