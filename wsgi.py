"""Entry point: `python wsgi.py` serves with gevent; `flask --app wsgi ...` runs the CLI."""

import os
import sys

# gevent must patch the standard library before anything else imports it; only the server
# process needs it (the CLI and a gevent-worker WSGI server manage this themselves).
if __name__ == "__main__" and os.environ.get("SOCKETIO_ASYNC_MODE", "gevent") == "gevent":
    from gevent import monkey

    monkey.patch_all()

from participation import create_app  # noqa: E402
from participation.core.settings import ConfigError  # noqa: E402
from participation.extensions import socketio  # noqa: E402

try:
    app = create_app()
except ConfigError as error:
    # The server and every `flask --app wsgi` command stop here, non-zero, with what to set:
    # never a silent fallback to an empty SQLite database (participation/config.py).
    sys.exit(f"participation: configuration error: {error}")

if __name__ == "__main__":
    from participation.serve import serve

    serve(app, socketio)
