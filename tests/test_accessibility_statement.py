"""The accessibility statement (/tillganglighet) in DIGG's model, Swedish and English, with the
configured contact, and linked from the footer of the ordinary pages."""

import pytest

from .conftest import csrf_from, make_app


@pytest.fixture
def configured(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'a11y.db'}",
                   ACCESSIBILITY_CONTACT="tillganglighet@malmo.example",
                   ACCESSIBILITY_ORGANISATION="Malmö stad",
                   ACCESSIBILITY_TESTED_ON="2026-12-01")
    from participation.extensions import db
    with app.app_context():
        db.create_all()
        yield app


def test_the_statement_in_swedish_and_english(configured):
    browser = configured.test_client()
    answer = browser.get("/tillganglighet")
    assert answer.status_code == 200
    sv = answer.get_data(as_text=True)
    assert '<html lang="sv" dir="ltr">' in sv
    for part in ("<h1>Tillgänglighet för Delaktighet</h1>", "Malmö stad står bakom",
                 "Hur tillgänglig är tjänsten?", "Rapportera brister", "Tillsyn",
                 "Myndigheten för digital förvaltning", "Innehåll som inte är tillgängligt",
                 "Hur vi testat tjänsten", "axe-core", "1 december 2026",
                 'href="mailto:tillganglighet@malmo.example"',
                 'href="https://www.digg.se/tdosanmalan"'):
        assert part in sv, part
    browser.post("/lang/en", data={"csrf_token": csrf_from(sv), "next": "/tillganglighet"})
    en = browser.get("/tillganglighet").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in en
    for part in ("Accessibility of Participation", "Malmö stad is responsible",
                 "Supervision", "Agency for Digital Government", "December 1, 2026",
                 'href="mailto:tillganglighet@malmo.example"', "How we tested the service"):
        assert part in en, part


def test_without_a_contact_it_points_to_the_organiser_and_is_linked_from_every_footer(
        client, make_event):
    sv = client.get("/tillganglighet").get_data(as_text=True)
    assert "mailto:" not in sv and "meddela den som ordnar din aktivitet" in sv
    event = make_event(phase="collect")
    for path in ("/", "/login", "/integritet", f"/j/{event.code}", "/finns-inte"):
        page = client.get(path).get_data(as_text=True)
        assert '<footer class="site-footer">' in page, path
        assert 'href="/tillganglighet">Tillgänglighet</a>' in page, path
