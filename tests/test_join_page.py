"""A join storm renders the phone page once per version and language (live/phone/page.py):
every new phone still gets its own CSRF token and its own client ids, sees what is there now,
and a phone that has done something gets a page of its own."""

import re

from participation.events.operations import change_phase
from participation.live.phone.page import CSRF_SLOT, ID_SLOT

from .test_forms_nojs import PageForms, proposal_ids, stored_votes, workshop  # noqa: F401

UUID = re.compile(r"\b[0-9a-f]{32}\b")
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _ids(page: str) -> list[str]:
    return [f.fields["client_id"] for f in PageForms(page).forms if "client_id" in f.fields]


def _normalised(page: str) -> str:
    return UUID.sub("ID", page.replace(META_CSRF.search(page).group(1), "CSRF"))


def test_new_phones_share_one_render_but_not_their_tokens_or_ids(app, workshop):  # noqa: F811
    room = workshop()
    anna, bo = room.resident(), room.resident()
    assert CSRF_SLOT not in anna.page + bo.page and ID_SLOT not in anna.page + bo.page
    assert len(app.extensions["phone_page:sv"]) == 1  # one render for both
    tokens = [META_CSRF.search(p.page).group(1) for p in (anna, bo)]
    assert tokens[0] != tokens[1]
    # Each form carries the session's own token; every client id is new, in and across pages.
    for phone, token in zip((anna, bo), tokens, strict=True):
        assert {f.fields["csrf_token"] for f in PageForms(phone.page).forms
                if "csrf_token" in f.fields} == {token}
    ids = _ids(anna.page) + _ids(bo.page)
    assert len(ids) >= 4 and len(set(ids)) == len(ids)
    assert _normalised(anna.page) == _normalised(bo.page)
    # The tokens work: both write through their own page's form.
    anna.propose("Cykelbana längs älven")
    bo.propose("Fler bussar på kvällen")
    assert len(proposal_ids(room.id)) == 2


def test_a_new_version_is_a_new_page_and_a_phone_that_acted_gets_its_own(app, workshop):  # noqa: F811
    room = workshop()
    anna = room.resident()
    anna.propose("Cykelbana längs älven")
    [proposal_id] = proposal_ids(room.id)
    # The proposal is Anna's: her page says so, a newcomer's shows it as anyone's.
    newcomer = room.resident()
    assert "Cykelbana längs älven" in newcomer.text
    assert 'class="p-mine badge" hidden' in newcomer.proposal_block(proposal_id)
    assert 'class="p-mine badge" hidden' not in anna.proposal_block(proposal_id)
    room.to("vote")
    anna.open()
    anna.vote(proposal_id)
    assert stored_votes() == [(proposal_id, 1)]
    # Anna's page shows her vote; the next new phone's does not.
    voted = room.resident()
    assert anna.form(f"/j/{room.code}/proposals/{proposal_id}/withdraw").offered
    assert not voted.form(f"/j/{room.code}/proposals/{proposal_id}/withdraw").offered
    assert voted.form(f"/j/{room.code}/proposals/{proposal_id}/vote").offered


def test_the_shared_page_is_per_language(app, workshop, staff):  # noqa: F811
    from participation.events.languages import set_languages

    room = workshop()
    set_languages(staff.facilitator, room.id, ["sv", "fi"])
    change_phase(staff.facilitator, room.id, "vote")
    swedish = app.test_client().get(f"/j/{room.code}", headers={"Accept-Language": "sv"})
    finnish = app.test_client().get(f"/j/{room.code}", headers={"Accept-Language": "fi"})
    assert 'lang="sv"' in swedish.get_data(as_text=True)
    assert 'lang="fi"' in finnish.get_data(as_text=True)
    assert app.extensions["phone_page:sv"] and app.extensions["phone_page:fi"]


def test_a_phone_with_anything_of_its_own_is_never_the_shared_page(app, workshop):  # noqa: F811
    room = workshop()
    anna = room.resident()
    anna.submit(f"/j/{room.code}/name", display_name="Anna Andersson")
    # Anna has a participant row now (a name, no proposal, no vote): her page is her own and
    # is not kept for anyone else, whichever of them comes first at this version.
    assert 'value="Anna Andersson"' in anna.page
    for _ in range(2):
        assert "Anna Andersson" not in room.resident().page
    anna.open()
    assert 'value="Anna Andersson"' in anna.page
