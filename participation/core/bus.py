"""Domain events, published after commit. Subscribers (the realtime relay) only relay them."""

from dataclasses import dataclass, field

from blinker import Namespace

signals = Namespace()
published = signals.signal("domain-event")


@dataclass(frozen=True)
class DomainEvent:
    name: str  # e.g. "proposal.submitted", "vote.changed", "event.phase_changed"
    event_id: int
    version: int
    data: dict = field(default_factory=dict)


def publish(name: str, event_id: int, version: int, **data) -> DomainEvent:
    domain_event = DomainEvent(name, event_id, version, data)
    published.send(domain_event)
    return domain_event
