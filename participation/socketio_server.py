"""Flask-SocketIO with one request context per connection instead of one per event.

Flask-SocketIO builds a new Flask request context for every Socket.IO event from the
connection's handshake environ: a new Request, the URL map matched again for /socket.io/, the
cookie read again. Under a thousand votes a second that was a fifth of the server's time
(docs/benchmarks.md). Here each connection keeps its request context (its Request, parsed
once, and its matched route) and pushes it for each event; what must be fresh stays fresh:
a new app context (`g`: the current user, the locale) and a new session for each event (a
resident's own copy of the decoded cookie, a staff member's record read again:
web/sessions.py), and the teardown (the database session removed) after each.

Events of one connection run one after another (async_handlers=False in the factory); should
two of one connection ever overlap (a polling client), the second gets a context of its own,
as before.
"""

import sys

import flask
from flask.ctx import RequestContext
from flask_socketio import SocketIO

_CONTEXT = "participation.socket_context"


class _ConnectionContext(RequestContext):
    in_use = False
    matched = False

    def match_request(self) -> None:
        if not self.matched:  # the route of /socket.io/ does not change between events
            super().match_request()
            self.matched = True


class ConnectionContextSocketIO(SocketIO):
    def _handle_event(self, handler, message, namespace, sid, *args):
        if message == "connect" or self.manage_session:
            return super()._handle_event(handler, message, namespace, sid, *args)
        environ = self.server.get_environ(sid, namespace=namespace)
        if not environ:
            return "", 400  # as Flask-SocketIO: a client we hold no record of
        app = environ["flask.app"]
        context = environ.get(_CONTEXT)
        if context is None or context.in_use:
            context = _ConnectionContext(app, environ)
            environ.setdefault(_CONTEXT, context)
        context._session = None  # opened again for each event (see above)
        context.in_use = True
        try:
            with context:
                return self._run(app, handler, namespace, sid, message, args)
        finally:
            context.in_use = False

    def _run(self, app, handler, namespace, sid, message, args):
        """What Flask-SocketIO does inside its context, with manage_session=False."""
        session = flask.session._get_current_object()
        flask.request.sid = sid
        flask.request.namespace = namespace
        flask.request.event = {"message": message, "args": args}
        try:
            answer = handler(*args)
        except ConnectionRefusedError:
            raise
        except Exception:
            on_error = self.exception_handlers.get(namespace, self.default_exception_handler)
            if on_error is None:
                raise
            return on_error(sys.exc_info()[1])
        if not hasattr(session, "modified") or session.modified:
            app.session_interface.save_session(app, session, app.response_class())
        return answer
