"""Entry point: `python wsgi.py` serves with gevent; `flask --app wsgi ...` runs the CLI."""

import os
import sys

# gevent must patch the standard library before anything else imports it.
if os.environ.get("SOCKETIO_ASYNC_MODE", "gevent") == "gevent" and "flask" not in sys.argv[0]:
    from gevent import monkey

    monkey.patch_all()

from participation import create_app  # noqa: E402
from participation.extensions import socketio  # noqa: E402

app = create_app()

if __name__ == "__main__":
    from participation.serve import serve

    serve(app, socketio)
