"""The projector's count of connected phones counts people, not sockets: two tabs on one phone
count once, a reloaded page counts once (also while its old socket lingers), and the count
drops when a person's last socket goes; with Redis, the same over several processes."""

import uuid

from participation.live.socket.presence import SharedPresence, participant_key

from .conftest import csrf_from


def connected(staff_socket) -> int:
    pushes = staff_socket.received("presence")
    return pushes[-1]["connected"] if pushes else staff_socket.received("snapshot")[0][
        "connected"]


def tab(workshop, http):
    """One more socket of the same browser (the same cookie, so the same participant)."""
    return workshop.connect(http, {"csrf_token": http.csrf, "event": workshop.id})


def test_one_phone_with_two_tabs_counts_once_and_leaves_with_its_last_tab(room):
    workshop = room()
    projector = workshop.facilitator()
    assert connected(projector) == 0
    first = workshop.phone()
    assert connected(projector) == 1
    second = tab(workshop, first.http)
    assert second.connected
    assert connected(projector) == 1
    other = workshop.phone()
    assert connected(projector) == 2
    first.disconnect()
    assert connected(projector) == 2  # its other tab is still open
    second.disconnect()
    assert connected(projector) == 1
    other.disconnect()
    assert connected(projector) == 0
    # A new projector's snapshot agrees with the pushes.
    assert workshop.facilitator().received("snapshot")[0]["connected"] == 0


def test_a_reload_counts_once_before_and_after_the_old_socket_goes(room):
    workshop = room()
    projector = workshop.facilitator()
    phone = workshop.phone()
    assert connected(projector) == 1
    # A plain reload: the old socket closes, the page connects again.
    phone.disconnect()
    assert connected(projector) == 0
    again = tab(workshop, phone.http)
    assert connected(projector) == 1
    # Offline, then reloaded: the new socket connects while the old one has not timed out.
    reloaded = tab(workshop, phone.http)
    assert connected(projector) == 1
    again.disconnect()  # the old socket's ping timeout, at last: no stale entry is left
    assert connected(projector) == 1
    reloaded.disconnect()
    assert connected(projector) == 0


def test_staff_sockets_and_other_events_do_not_count(room):
    workshop, elsewhere = room(), room()
    projector = workshop.facilitator()
    workshop.facilitator()  # the console
    elsewhere.phone()
    assert connected(projector) == 0
    phone = workshop.phone()
    # The same browser joins the other event too: one person per event.
    http = phone.http
    http.csrf = csrf_from(http.get(f"/j/{elsewhere.code}").get_data(as_text=True))
    elsewhere.connect(http, {"csrf_token": http.csrf, "event": elsewhere.id})
    assert connected(projector) == 1
    assert connected(elsewhere.facilitator()) == 2


def test_the_participant_key_is_stable_and_not_the_token():
    token = uuid.uuid4().hex
    assert participant_key(token) == participant_key(token)
    assert participant_key(token) != participant_key(uuid.uuid4().hex)
    assert token not in participant_key(token)


def test_shared_presence_counts_each_person_once_over_processes(redis_url):
    channel = f"presence-test-{uuid.uuid4().hex[:12]}"
    one, two = SharedPresence(redis_url, channel), SharedPresence(redis_url, channel)
    anna, bo, cecilia = (participant_key(uuid.uuid4().hex) for _ in range(3))
    try:
        one.store(7, {anna, bo})
        two.store(7, {bo, cecilia})  # bo has a tab on each process
        assert one.total(7) == two.total(7) == 3
        one.store(7, {anna})  # bo's tab on the first process closed
        assert two.total(7) == 3
        two.store(7, set())  # everyone on the second process left
        assert one.total(7) == 1
        assert one.total(8) == 0
        one.redis.delete(f"{one.prefix}:7:{one.process}")  # the first process died: expired
        assert two.total(7) == 0
    finally:
        one.redis.delete(*one.redis.keys(f"{channel}:*") or ["none"])
