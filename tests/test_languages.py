"""The languages of the room (issue 19, docs/languages.md): a person's own choice, an event's
languages, right to left, the projector's language, texts in several languages, the language
proposals are written in, and the text analysis for languages other than Swedish."""

import csv
import io
import json
import re
import uuid
from pathlib import Path

import flask_babel
import pytest
from sqlalchemy import select

from participation.core.languages import OWN_NAMES, SHIPPED, completeness, review_state
from participation.events.models import Event
from participation.extensions import db
from participation.proposals import language
from participation.proposals.models import Proposal
from participation.proposals.similarity import DuplicateIndex, similarity
from participation.proposals.themes import cloud
from participation.web.labels import plural_samples

from .conftest import csrf_from, isolated, login

API = "/api/v1"
REVIEW = "/review"


def page(client, path, **headers):
    # The test's app context (and Flask-Babel's cached locale in it) outlives each request;
    # a real request starts with a fresh one.
    flask_babel.refresh()
    answer = client.get(path, headers=headers)
    assert answer.status_code == 200, path
    return answer.get_data(as_text=True)


def html_lang(html: str) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', html)
    return found.group(1), found.group(2)


def choose(client, html, lang, next_path="/"):
    flask_babel.refresh()
    answer = client.post("/lang", data={"csrf_token": csrf_from(html), "lang": lang,
                                        "next": next_path})
    assert answer.status_code in (302, 303)


def menu(client, path: str, **headers) -> list[str]:
    """The languages the language page offers for `path`, in order."""
    html = page(client, f"/sprak?next={path}", **headers)
    return re.findall(r'data-lang="([^"]+)"', html)


def test_first_visit_follows_the_phone_then_the_persons_choice_wins(client):
    assert html_lang(page(client, "/")) == ("sv", "ltr")  # nothing asked for: Swedish
    arabic = page(client, "/", **{"Accept-Language": "ar-SE,ar;q=0.9,sv;q=0.5"})
    assert html_lang(arabic) == ("ar", "rtl")
    assert "<span>العربية</span>" in arabic  # the header's door names the language in itself
    assert menu(client, "/", **{"Accept-Language": "ar"}) == list(SHIPPED)
    # Every language is named in itself, marked in its own language and direction.
    choices = page(client, "/sprak?next=/", **{"Accept-Language": "ar"})
    assert 'lang="fa" dir="rtl" data-lang="fa">فارسی</button>' in choices
    assert 'lang="ar" dir="rtl" data-lang="ar" aria-current="true">العربية</button>' in choices
    assert 'lang="fi" dir="ltr" data-lang="fi">Suomi</button>' in choices
    choose(client, arabic, "fi")
    finnish = page(client, "/", **{"Accept-Language": "ar"})  # the choice beats the phone
    assert html_lang(finnish) == ("fi", "ltr") and "<span>Suomi</span>" in finnish
    choose(client, finnish, "xx")  # not shipped: nothing changes
    assert html_lang(page(client, "/")) == ("fi", "ltr")
    choose(client, finnish, "se")  # waiting for a translator: not offered
    assert html_lang(page(client, "/")) == ("fi", "ltr")


def test_an_event_offers_its_own_languages(client, make_event, staff):
    event = make_event(title="Verkstad i Borås", prompt="Hur reser vi?")
    event.languages, event.browser_language = "sv,fi", True
    event.texts = {"fi": {"title": "Työpaja Boråsissa", "prompt": "Miten matkustamme?"}}
    db.session.commit()
    html = page(client, f"/j/{event.code}", **{"Accept-Language": "fi,en;q=0.5"})
    assert html_lang(html) == ("fi", "ltr") and menu(client, f"/j/{event.code}") == ["sv", "fi"]
    assert menu(client, f"/j/{event.code}/bord/1") == ["sv", "fi"]
    assert menu(client, "//evil.example/j/X") == list(SHIPPED)  # only a path here counts
    assert "Työpaja Boråsissa" in html and "Miten matkustamme?" in html
    # A phone asking for a language the event does not offer: Swedish.
    other = client.application.test_client()
    swedish = page(other, f"/j/{event.code}", **{"Accept-Language": "ar"})
    assert html_lang(swedish) == ("sv", "ltr") and "Verkstad i Borås" in swedish
    # A choice the event does not offer reads Swedish there, and stays the person's elsewhere.
    choose(other, swedish, "uk")
    assert html_lang(page(other, f"/j/{event.code}")) == ("sv", "ltr")
    assert html_lang(page(other, "/")) == ("uk", "ltr")
    # The event may leave the phone's own setting out: Swedish until a choice is made.
    event = db.session.get(Event, event.id)
    event.browser_language = False
    db.session.commit()
    third = client.application.test_client()
    assert html_lang(page(third, f"/j/{event.code}", **{"Accept-Language": "fi"})) == (
        "sv", "ltr")


def test_a_language_without_its_own_title_shows_the_swedish_one(client, make_event):
    event = make_event(title="Verkstad", prompt="Hur reser vi hållbart?")
    html = page(client, f"/j/{event.code}", **{"Accept-Language": "uk"})
    assert html_lang(html) == ("uk", "ltr")
    assert '<h1 dir="auto">Hur reser vi hållbart?</h1>' in html


def _put(client, staff, event_id, body):
    return client.put(f"{API}/events/{event_id}/languages", json=body,
                      headers=staff.auth(staff.facilitator))


def test_setting_the_languages_over_rest(client, make_event, staff):
    event = make_event()
    answer = _put(client, staff, event.id, {
        "languages": ["ar", "fi"], "projector_language": "ar", "browser_language": False,
        "texts": {"ar": {"title": "  ورشة  ", "prompt": "كيف نسافر؟"},
                  "fi": {"title": "", "prompt": ""}}})
    assert answer.status_code == 200, answer.get_json()
    shape = answer.get_json()
    assert shape["languages"] == ["sv", "fi", "ar"]  # Swedish always, in the menu's order
    assert shape["projector_language"] == "ar"
    assert shape["texts"] == {"ar": {"title": "ورشة", "prompt": "كيف نسافر؟"}}  # blank pair gone
    db.session.rollback()  # the test's session reads what the request committed
    stored = db.session.get(Event, event.id)
    assert (stored.languages, stored.projector_language, stored.browser_language) == (
        "sv,fi,ar", "ar", False)


@pytest.mark.parametrize("body, field", [
    ({"languages": ["sv", "xx"]}, "languages"),
    ({"languages": "sv,fi"}, "languages"),
    ({"languages": ["sv"], "projector_language": "fi"}, "projector_language"),
    ({"languages": ["sv"], "browser_language": "yes"}, "browser_language"),
    ({"languages": ["sv", "fi"], "texts": {"sv": {"title": "Ny"}}}, "texts"),
    ({"languages": ["sv", "fi"], "texts": {"fi": "Otsikko"}}, "texts"),
    ({"languages": ["sv", "fi"], "texts": {"fi": {"title": "x" * 201}}}, "title_fi"),
    ({"languages": ["sv", "fi"], "texts": {"fi": {"title": "A", "other": "B"}}}, "texts"),
])
def test_a_refused_language_change_says_which_field_and_stores_nothing(
        client, make_event, staff, body, field):
    event = make_event()
    before = (event.languages, event.projector_language, event.browser_language, event.texts)
    answer = _put(client, staff, event.id, body)
    assert answer.status_code == 400
    error = answer.get_json()
    assert error["field"] == field and error["error"] in (
        "invalid_language", "invalid_type", "invalid_texts", "too_long")
    db.session.rollback()  # the test's session reads what the request committed
    stored = db.session.get(Event, event.id)
    assert (stored.languages, stored.projector_language, stored.browser_language,
            stored.texts) == before


def test_the_console_form_sets_the_languages(app, make_event, staff):
    event = make_event()
    console = app.test_client()
    login(console, staff.facilitator)
    html = page(console, f"/events/{event.id}/console")
    assert 'id="languages-heading"' in html
    answer = console.post(f"/events/{event.id}/languages", data={
        "csrf_token": csrf_from(html), "languages": ["sv", "fi", "so"],
        "projector_language": "so", "title_so": "Aqoon-is-weydaarsi", "prompt_so": "",
        "title_fi": "", "prompt_fi": ""})
    assert answer.status_code in (302, 303)
    assert answer.headers["Location"].endswith("#languages-heading")
    db.session.rollback()  # the test's session reads what the request committed
    stored = db.session.get(Event, event.id)
    assert (stored.languages, stored.projector_language, stored.browser_language) == (
        "sv,fi,so", "so", False)  # an unticked box is "no"
    assert stored.texts == {"so": {"title": "Aqoon-is-weydaarsi", "prompt": ""}}


def test_the_projector_speaks_the_events_projector_language(app, make_event, staff):
    event = make_event()
    event.languages, event.projector_language = "sv,ar,fi", "ar"
    db.session.commit()
    laptop = app.test_client()
    login(laptop, staff.facilitator)  # the laptop's own language stays Swedish
    projector = page(laptop, f"/events/{event.id}/projector")
    assert html_lang(projector) == ("ar", "rtl")
    # The lobby says how to join in every other language the phones offer.
    joins = re.findall(r'<li lang="(\w+)" dir="(\w+)">', projector)
    assert joins == [("sv", "ltr"), ("fi", "ltr")]
    assert "Skanna QR-koden med mobilens kamera för att vara med." in projector
    assert html_lang(page(laptop, f"/events/{event.id}/console")) == ("sv", "ltr")


def test_each_plural_category_has_a_number_to_ask_the_catalogue_with():
    assert plural_samples("ar") == {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11,
                                    "other": 100}
    assert set(plural_samples("uk")) == {"one", "few", "many", "other"}  # other: as many
    assert set(plural_samples("sv")) == {"one", "other"}


def test_the_phone_gets_every_arabic_plural_form(client, make_event):
    event = make_event(phase="collect")
    html = page(client, f"/j/{event.code}", **{"Accept-Language": "ar"})
    strings = re.search(r'<script type="application/json" id="client-strings">(.*?)</script>',
                        html, re.S).group(1)
    forms = json.loads(strings)["count_proposals"]
    assert set(forms) == {"zero", "one", "two", "few", "many", "other"}
    assert all("%(num)d" in forms[c] for c in ("few", "many", "other"))
    assert len({forms[c] for c in forms}) >= 3  # Arabic has more than singular and plural


@pytest.mark.parametrize("title, body, hint, expected", [
    ("مسارات دراجات أكثر في وسط المدينة", None, "sv", "ar"),
    ("مسیرهای دوچرخه بیشتر در مرکز شهر", None, "sv", "fa"),
    ("Більше велодоріжок у центрі міста", None, "sv", "uk"),
    ("Lisää pyöräteitä keskustaan", "ja parempi valaistus talvella", "sv", "fi"),
    ("Waddooyin baaskiil badan", "oo magaalada dhexdeeda ah", "sv", "so"),
    ("Fler cykelbanor i centrum", "och bättre belysning på vintern", "ar", "sv"),
    ("More bike lanes in the city centre", "and better lighting", "sv", "en"),
    # Too short to tell Latin-script languages apart: the writer's interface language.
    ("Gratis buss", None, "so", "so"),
    ("Gratis buss", None, "ar", "sv"),  # not Arabic script, so not Arabic
    ("باص", None, "fa", "fa"),
    ("باص", None, "sv", "ar"),
])
def test_the_language_of_a_proposal(title, body, hint, expected):
    assert language.detect(title, body, hint) == expected


def _submit(phone, csrf, event, title, **extra):
    return phone.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                      json={"title": title, "client_id": uuid.uuid4().hex, **extra})


def test_a_proposal_keeps_its_language_on_every_screen_and_in_exports(app, make_event, staff):
    event = make_event(phase="collect")
    phone = app.test_client()
    html = page(phone, f"/j/{event.code}", **{"Accept-Language": "ar"})
    csrf = csrf_from(html)
    arabic = _submit(phone, csrf, event, "مسارات دراجات أكثر في وسط المدينة")
    said = _submit(phone, csrf, event, "Gratis buss för alla", lang="so")
    assert arabic.status_code == 201 and said.status_code == 201
    assert arabic.get_json()["proposal"]["lang"] == "ar"
    assert said.get_json()["proposal"]["lang"] == "so"  # the writer said so
    refused = _submit(phone, csrf, event, "Träd", lang="svenska")
    assert refused.status_code == 400 and refused.get_json()["field"] == "lang"
    assert db.session.scalar(select(Proposal.id).where(Proposal.title == "Träd")) is None
    reloaded = page(phone, f"/j/{event.code}")
    assert re.search(r'<h3 class="p-title" dir="auto" lang="ar">مسارات', reloaded)
    # The console, and the CSV everyone downloads.
    console = app.test_client()
    login(console, staff.facilitator)
    assert 'class="p-title" dir="auto" lang="ar"' in page(console, f"/events/{event.id}/console")
    flask_babel.refresh()
    exported = console.get(f"{REVIEW}/events/{event.id}/proposals.csv")
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert {row["title"]: row["lang"] for row in rows} == {
        "مسارات دراجات أكثر في وسط المدينة": "ar", "Gratis buss för alla": "so"}


ARABIC = [(1, "مسارات دراجات أكثر في وسط المدينة", None, "ar"),
          (2, "مسارات الدراجات في وسط المدينة", "نريد المزيد", "ar"),
          (3, "حافلات مجانية لكبار السن", None, "ar"),
          (4, "Fler cykelbanor i centrum", None, "sv")]


def test_duplicates_in_another_language_meet_by_words_and_character_trigrams():
    index = DuplicateIndex(ARABIC)
    pairs = index.pairs()
    assert [(a, b) for a, b, _score in pairs] == [(1, 2)]
    assert index.similar("مسارات دراجات في المدينة", lang="ar")[0][0] in (1, 2)
    # Finnish gets Snowball's Finnish stems: inflected forms meet.
    finnish = DuplicateIndex([(1, "Lisää pyöräteitä keskustaan", None, "fi"),
                              (2, "Pyörätie keskustaan", None, "fi"),
                              (3, "Ilmainen bussi eläkeläisille", None, "fi")])
    assert [(a, b) for a, b, _ in finnish.pairs()] == [(1, 2)]


def test_swedish_is_scored_as_before_tags():
    untagged = similarity("Fler cykelbanor", "i centrum", "Cykelbana i centrum", None)
    tagged = DuplicateIndex([(0, "Fler cykelbanor", "i centrum", "sv"),
                             (1, "Cykelbana i centrum", None, "sv")]).score(0, 1)
    assert tagged == pytest.approx(untagged) and untagged > 0.25


def test_the_theme_cloud_counts_swedish_proposals_only(app, make_event, staff):
    event = make_event(phase="collect", prompt="Vad vill du ändra?")
    phone = app.test_client()
    csrf = csrf_from(page(phone, f"/j/{event.code}"))
    for title in ("Cykelbanor överallt", "Bredare cykelbanor", "Fler cykelbanor i stan"):
        assert _submit(phone, csrf, event, title, lang="sv").status_code == 201
    for title in ("في المدينة مسارات", "في الحديقة أشجار", "في المدرسة طاقة"):
        assert _submit(phone, csrf, event, title, lang="ar").status_code == 201
    db.session.rollback()  # read what the requests committed
    labels = [theme["label"] for theme in cloud(db.session.get(Event, event.id))]
    assert labels and "في" not in labels and labels[0].startswith("cykelban")


def test_the_language_page_lists_every_catalogue_and_its_review_state(app, staff):
    admin = app.test_client()
    login(admin, staff.admin)
    html = page(admin, "/admin/languages")
    states = dict(re.findall(r'<tr data-lang="(\w+)" data-state="(\w+)">', html))
    assert states == {"sv": "source", "en": "source", "fi": "not_reviewed",
                      "ar": "not_reviewed", "so": "not_reviewed", "fa": "not_reviewed",
                      "uk": "not_reviewed", "se": "empty", "fit": "empty"}
    assert all(OWN_NAMES[code] in html for code in states)
    done, total = completeness("ar")
    assert done == total > 1000 and f"{done} / {total}" in html
    assert completeness("se")[0] == 0 and review_state("se") == "empty"


@pytest.mark.parametrize("lang", ["fi", "ar", "so", "fa", "uk"])
def test_duplicates_rank_above_other_pairs_in_every_shipped_language(lang):
    """The labelled Swedish pairs translated (tests/data/duplicate_pairs_<lang>.csv), scored as
    in an event: a duplicate outscores a related or unrelated pair clearly more often than
    chance, and the typing hint finds nearly every duplicate (docs/duplicates.md)."""
    from participation.proposals.similarity import HINT_THRESHOLD

    path = Path(__file__).parent / "data" / f"duplicate_pairs_{lang}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    texts: dict = {}
    for row in rows:
        for side in "ab":
            texts.setdefault((row[f"{side}_title"], row[f"{side}_body"]), len(texts))
    index = DuplicateIndex([(n, title, body, lang) for (title, body), n in texts.items()])
    scored = [(index.score(texts[(r["a_title"], r["a_body"])],
                           texts[(r["b_title"], r["b_body"])]), r["label"]) for r in rows]
    duplicates = [s for s, label in scored if label == "duplicate"]
    others = [s for s, label in scored if label != "duplicate"]
    wins = sum((d > o) + 0.5 * (d == o) for d in duplicates for o in others)
    assert wins / (len(duplicates) * len(others)) >= 0.68
    assert sum(s >= HINT_THRESHOLD for s in duplicates) / len(duplicates) >= 0.9


def test_form_messages_and_template_words_follow_the_request_and_a_forced_locale(app):
    """WTForms' own messages and the templates' words come from per-language caches
    (web/language.py): each request gets its own language, force_locale its own and back."""
    from flask import render_template_string, request

    def check(lang, choice, word):
        with app.app_context(), app.test_request_context("/", headers={"Accept-Language": lang}):
            app.preprocess_request()
            assert request.wtforms_translations.ugettext("Not a valid choice.") == choice
            assert render_template_string("{{ _('Language') }}") == word
            with flask_babel.force_locale("ar"):
                assert render_template_string("{{ _('Language') }}") == "اللغة"
                assert "اختيار" in request.wtforms_translations.ugettext("Not a valid choice.")
            assert render_template_string("{{ _('Language') }}") == word

    for lang, choice, word in (("sv", "Inte ett giltigt val", "Språk"),
                               ("fi", "Virheellinen valinta", "Kieli")):
        isolated(check, lang, choice, word)  # a request of its own, as a server's
