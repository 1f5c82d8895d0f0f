"""Which staff sockets are open, per account and session, so that ending sessions closes them.

When accounts/sessions.py says sessions ended (`ended`: all of an account's, or the one a
logout ended), their sockets are disconnected at once: they stop getting the staff room's
pushes, and a command they still send is refused anyway (commands.py checks the session again).

On one process the open sockets are in `connections`. With REDIS_URL each staff socket is also
written to a Redis hash per account (socket id -> session key), so any process, or the CLI
(`flask users signout`), can name the sockets, and python-socketio's message queue delivers
each disconnect to the process that holds it. A process that dies leaves ids behind that
expire with the hash; disconnecting an id nobody holds does nothing.
"""

from ...accounts.sessions import ended
from ...extensions import socketio
from .connections import connections

TTL = 2 * 24 * 3600


class StaffSockets:
    def __init__(self):
        self.redis = None
        self.prefix = ""
        self._subscribed = False

    def init_app(self, app):
        self.redis = None
        if app.config["REDIS_URL"]:
            import redis

            self.redis = redis.Redis.from_url(app.config["REDIS_URL"])
            self.prefix = f"{app.config['SOCKETIO_CHANNEL']}:staff-sockets:"
        # Tests build many apps in one process: subscribed once, for the newest.
        if not self._subscribed:
            ended.connect(self._on_ended, weak=False)
            self._subscribed = True

    def opened(self, sid: str, user_id: int, session_key: str | None) -> None:
        if self.redis is not None:
            key = f"{self.prefix}{user_id}"
            pipe = self.redis.pipeline()
            pipe.hset(key, sid, session_key or "")
            pipe.expire(key, TTL)
            pipe.execute()

    def closed(self, sid: str, user_id: int) -> None:
        if self.redis is not None:
            self.redis.hdel(f"{self.prefix}{user_id}", sid)

    def _on_ended(self, user_id: int, reason: str = "", session: str | None = None) -> None:
        sids = {sid for sid, connection in list(connections.items())
                if connection.user_id == user_id
                and (session is None or connection.session_key == session)}
        if self.redis is not None:
            stored = self.redis.hgetall(f"{self.prefix}{user_id}")
            sids |= {sid.decode() for sid, key in stored.items()
                     if session is None or key.decode() == session}
        for sid in sids:
            # Through the message queue when the socket is on another process.
            socketio.server.disconnect(sid, namespace="/")


staff_sockets = StaffSockets()
