"""Duplicate hints while typing, and suggested pairs for the facilitator."""

from .conftest import login

PROPOSALS = [
    "Fler cykelbanor längs Storgatan",
    "Gratis kollektivtrafik för pensionärer",
    "Laddstolpar vid alla skolor",
]


def test_a_phone_sees_similar_proposals_while_typing(room):
    workshop = room()
    writer, typist = workshop.phone(), workshop.phone()
    ids = [workshop.propose(writer, title) for title in PROPOSALS]
    ack = typist.call("similar", {"title": "Fler cykelbanor på Storgatan", "body": ""})
    assert ack["ok"], ack
    assert ack["matches"][0]["id"] == ids[0]
    assert ack["matches"][0]["title"] == PROPOSALS[0]
    assert all(match["id"] != ids[2] for match in ack["matches"])
    assert typist.call("similar", {"title": "Bus", "body": ""})["matches"] == []
    bad = typist.call("similar", {"title": ["Fler"], "body": ""})
    assert (bad["ok"], bad["error"]) == (False, "invalid_type")


def test_hints_skip_hidden_proposals_and_follow_new_ones(room, staff):
    from participation.proposals.moderation import hide_proposal

    workshop = room()
    writer, typist = workshop.phone(), workshop.phone()
    first = workshop.propose(writer, "Solpaneler på skolans tak")
    assert typist.call("similar", {"title": "Solpaneler på taket"})["matches"][0]["id"] == first
    hide_proposal(staff.facilitator, first, "Dubblett")
    assert typist.call("similar", {"title": "Solpaneler på taket"})["matches"] == []
    second = workshop.propose(writer, "Solpaneler på alla tak")
    assert typist.call("similar", {"title": "Solpaneler på taket"})["matches"][0]["id"] == second


def test_rest_hints_and_facilitator_suggestions(app, room, staff):
    workshop = room()
    writer = workshop.phone()
    a = workshop.propose(writer, "Fler cykelbanor längs Storgatan")
    b = workshop.propose(writer, "Bygg fler cykelbanor på Storgatan")
    workshop.propose(writer, "Mindre matsvinn i skolan")
    hint = writer.http.get(f"/api/v1/events/{workshop.id}/similar",
                           query_string={"title": "cykelbanor Storgatan"})
    assert hint.status_code == 200 and {m["id"] for m in hint.get_json()["matches"]} >= {a, b}
    stranger = app.test_client().get(f"/api/v1/events/{workshop.id}/similar?title=cykel")
    assert stranger.status_code == 403
    pairs = app.test_client().get(f"/api/v1/events/{workshop.id}/duplicates",
                                  headers=staff.auth(staff.facilitator)).get_json()["pairs"]
    assert [(p["a"]["id"], p["b"]["id"]) for p in pairs] == [(a, b)]
    console = app.test_client()
    login(console, staff.facilitator)
    rows = console.get(f"/events/{workshop.id}/console/proposals").get_data(as_text=True)
    assert "1 möjlig dubblett" in rows
