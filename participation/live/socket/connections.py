"""The sockets open on this process, and who each one is."""

from dataclasses import dataclass

from ...web import metrics


@dataclass
class Connection:
    event_id: int
    token: str | None
    staff: bool  # access.may_moderate at connect: the console or the projector
    # A referensgrupp: every call re-checks the membership, so a revoked member reads no more.
    group: bool = False
    # Staff: the account and its session (web/sessions.session_key) at connect; every command
    # checks the session again, and ending it closes the socket (staff_sockets.py); taken
    # off the event's team, its sockets close too.
    user_id: int | None = None
    session_key: str | None = None

    def token_for(self, event_id: int) -> str | None:
        """The participant token for `event_id`: only this connection's own event has one."""
        return self.token if event_id == self.event_id else None


connections: dict[str, Connection] = {}


def _count(staff: bool) -> int:
    return sum(1 for c in list(connections.values()) if c.staff == staff)


# /metrics reads this process's sockets when scraped (web/metrics.py).
metrics.PHONES.set_function(lambda: _count(False))
metrics.STAFF_SOCKETS.set_function(lambda: _count(True))
