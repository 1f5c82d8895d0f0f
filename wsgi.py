"""Entry point: `python wsgi.py` serves with gevent; `flask --app wsgi ...` runs the CLI."""

import os

# gevent must patch the standard library before anything else imports it; only the server
# process needs it (the CLI and a gevent-worker WSGI server manage this themselves).
if __name__ == "__main__" and os.environ.get("SOCKETIO_ASYNC_MODE", "gevent") == "gevent":
    from gevent import monkey

    monkey.patch_all()

from participation import create_app  # noqa: E402
from participation.extensions import socketio  # noqa: E402

app = create_app()

if __name__ == "__main__":
    from participation.serve import serve

    serve(app, socketio)
