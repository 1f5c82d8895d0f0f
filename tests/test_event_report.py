"""The event report (issue 18): one dict painted as a print view and, by WeasyPrint, as a tagged
PDF; for those who may review the event; never a hidden proposal's text."""

import ctypes
import re
import time
import uuid
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from flask import template_rendered

from participation.backlog.operations import create_measure
from participation.events.operations import change_phase
from participation.events.tables import set_table_count
from participation.participants.operations import choose_table
from participation.proposals.merge import merge_proposals
from participation.proposals.moderation import hide_proposal
from participation.proposals.operations import cast_vote, submit_proposal
from participation.proposals.paper import add_paper_proposal, set_hand_count
from participation.review.links import link_proposal
from participation.review.report import event_report
from participation.web.pdf import static_file

from .conftest import csrf_from, join, login
from .test_templates_get_shapes import FRAMEWORK, _orm_objects

QUESTION = "Hur gör vi det lättare att resa hållbart i vardagen?"
TOP = "Fler cykelbanor längs älven"
SECRET_TITLE = "Ring Åsa Ödmark"
SECRET_BODY = "personnummer 19121212-1212 och adress Storgatan 7"
# The first page as a person sees it (looked at when the report changes; docs/images has a copy).
PNG = (Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
       / "report-first-page.png")


def new_id() -> str:
    return uuid.uuid4().hex


def build(make_event, staff, extra: int = 0):
    """A workshop at two tables: six phones, a paper note with a show of hands, a hidden
    proposal, a merge, votes, a measure link. `extra` more proposals for the timing."""
    event = make_event(phase="collect", title="Vardagsresor i Umeå", prompt=QUESTION)
    set_table_count(staff.facilitator, event.id, 2)
    tokens = [f"phone-{n}-{event.id}" for n in range(6)]
    titles = [TOP, "Gratis buss för unga", "Säkra skolvägar", "Bättre busshållplatser",
              *(f"Förslag nummer {n} om trafik och gång" for n in range(extra))]
    ids = {}
    for n, title in enumerate(titles):
        ids[title] = submit_proposal(event.id, tokens[n % 6], title,
                                     f"Beskrivning av förslaget, {n}.", new_id())["proposal"]["id"]
    for n, token in enumerate(tokens[:4]):
        choose_table(event.id, token, 1 + n % 2)
    secret = submit_proposal(event.id, tokens[5], SECRET_TITLE, SECRET_BODY, new_id())
    hide_proposal(staff.facilitator, secret["proposal"]["id"], "Personuppgifter")
    double = submit_proposal(event.id, tokens[4], "Mer cykelbanor vid älven", "", new_id())
    merge_proposals(staff.facilitator, double["proposal"]["id"], ids[TOP])
    paper = add_paper_proposal(staff.facilitator, event.id, "Laddstolpar vid förskolan", "",
                               table=2)
    change_phase(staff.facilitator, event.id, "vote")
    set_hand_count(staff.facilitator, paper["proposal"]["id"], 3)
    for token in tokens:
        cast_vote(ids[TOP], lambda _eid, t=token: t, new_id())
    for token in tokens[:2]:
        cast_vote(ids["Säkra skolvägar"], lambda _eid, t=token: t, new_id())
    change_phase(staff.facilitator, event.id, "results")
    measure = create_measure(staff.reviewer, {"title": "Belysta cykelvägar"})["measure"]["id"]
    link_proposal(staff.reviewer, ids[TOP], "supports", measure_id=measure)
    return event


def pdf_text(body: bytes) -> tuple[str, pypdfium2.PdfDocument]:
    pdf = pypdfium2.PdfDocument(body)
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    return text, pdf


def pdf_language(pdf) -> str:
    size = pdfium_c.FPDFCatalog_GetLanguage(pdf.raw, None, 0)  # bytes, UTF-16LE with a NUL
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_c.FPDFCatalog_GetLanguage(pdf.raw, buffer, size)
    return bytes(buffer).decode("utf-16-le").rstrip("\x00")


def test_the_report_holds_the_evening_and_no_hidden_text(app, make_event, staff):
    event = build(make_event, staff)
    report = event_report(event)
    assert report["event"]["prompt"] == QUESTION
    assert report["participants"] | {"tables": None} == {
        "phones": 6, "voters": 6, "hands": 3, "counted_voters": 9, "tables": None,
        "proposals_by_source": {"phone": 6, "paper": 1, "scribe": 0}}
    assert [t["phones"] for t in report["participants"]["tables"]] == [2, 2]
    assert report["proposals"][0]["title"] == TOP and report["proposals"][0]["fair_rank"] == 1
    assert report["merges"] == [{"number": 1, "title": TOP,
                                 "sources": ["Mer cykelbanor vid älven"]}]
    assert report["moderation"]["counts"] == {"pending": 0, "visible": 5, "hidden": 1,
                                              "merged": 1}
    assert report["moderation"]["hidden_reasons"] == [{"reason": "Personuppgifter", "count": 1}]
    assert [m["title"] for m in report["measures"]] == ["Belysta cykelvägar"]
    flat = repr(report)
    assert SECRET_TITLE not in flat and "19121212" not in flat


def test_print_view_and_pdf_for_a_reviewer(app, make_event, staff):
    event = build(make_event, staff)
    reviewer = app.test_client()
    login(reviewer, staff.reviewer)
    rendered = []

    def record(_sender, template, context, **_extra):
        data = {k: v for k, v in context.items() if k not in FRAMEWORK}
        rendered.append((template.name, _orm_objects(data)))

    with template_rendered.connected_to(record, app):
        page = reviewer.get(f"/events/{event.id}/report")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    html = page.get_data(as_text=True)
    assert '<html lang="sv" dir="ltr">' in html
    for text in (QUESTION, TOP, "Personuppgifter", "Belysta cykelvägar", "Laddstolpar"):
        assert text in html, text
    assert SECRET_TITLE not in html and "19121212" not in html
    assert f'href="/events/{event.id}/report.pdf"' in html

    started = time.perf_counter()
    answer = reviewer.get(f"/events/{event.id}/report.pdf")
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert answer.headers["Content-Disposition"] == (
        f'inline; filename="rapport-{event.code.lower()}.pdf"')
    body = answer.get_data()
    assert body.startswith(b"%PDF-")
    text, pdf = pdf_text(body)
    for expected in (QUESTION, TOP, "Personuppgifter", "Belysta cykelvägar", "å", "ä", "ö"):
        assert expected in text, expected
    assert SECRET_TITLE not in text and "19121212" not in text
    # Accessible: tagged, in the page's language, titled.
    assert pdf.is_tagged()
    assert pdf_language(pdf) == "sv"
    assert "Vardagsresor i Umeå" in pdf.get_metadata_dict()["Title"]
    assert re.search(r"1 / \d", text)  # the page numbers in the margin
    PNG.parent.mkdir(parents=True, exist_ok=True)
    pdf[0].render(scale=1.5).to_pil().save(PNG)
    assert elapsed < 30
    assert {name for name, _found in rendered} >= {"review/report.html"}
    assert [found for _name, found in rendered if found] == []


def test_english_locale_gives_english_headings(app, make_event, staff):
    event = build(make_event, staff)
    reviewer = app.test_client()
    login(reviewer, staff.reviewer)
    swedish = reviewer.get(f"/events/{event.id}/report").get_data(as_text=True)
    reviewer.post("/lang/en", data={"csrf_token": csrf_from(swedish)})
    html = reviewer.get(f"/events/{event.id}/report").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    text, pdf = pdf_text(reviewer.get(f"/events/{event.id}/report.pdf").get_data())
    for heading in ("Participants", "Proposals in fair rank order", "Moderation",
                    "Measures the proposals were linked to"):
        assert heading in html and heading in text, heading
    assert re.search(r"Phones that took part \(wrote, voted or chose a table\)\s*6", text)
    assert re.search(r"Page 1 / \d", text)
    assert pdf_language(pdf) == "en"


def test_only_those_who_may_review_the_event_get_it(app, make_event, staff):
    event = make_event(phase="collect")
    submit_proposal(event.id, "someone", "Cykelbanor", "", new_id())
    review_page = f"/review/events/{event.id}"
    resident = app.test_client()
    join(resident, event)
    other = app.test_client()
    login(other, staff.other)
    for path in (f"/events/{event.id}/report", f"/events/{event.id}/report.pdf"):
        # No staff session (a joined phone, a stranger): the login page; staff who may not
        # review the event: 403.
        for client, status in ((resident, 302), (app.test_client(), 302), (other, 403)):
            refused, expected = client.get(path), client.get(review_page)
            assert refused.status_code == expected.status_code == status, path
            if status == 302:
                assert "/login" in refused.headers["Location"], path
            assert refused.mimetype != "application/pdf"
    assert other.get(f"/events/{event.id}/report").status_code == 403
    creator = app.test_client()
    login(creator, staff.facilitator)
    assert creator.get(f"/events/{event.id}/report").status_code == 200
    assert creator.get("/events/999999/report").status_code == 404


def test_the_review_page_links_the_report(app, make_event, staff):
    event = make_event(phase="collect")
    reviewer = app.test_client()
    login(reviewer, staff.reviewer)
    html = reviewer.get(f"/review/events/{event.id}").get_data(as_text=True)
    assert f'href="/events/{event.id}/report"' in html
    assert f'href="/events/{event.id}/report.pdf"' in html


@pytest.mark.parametrize("url", [
    "http://example.org/static/css/app.css", "file:///etc/passwd",
    "http://localhost/static/../participation/config.py", "http://localhost/events/1/report",
    "http://localhost/static/css/nosuch.css", "data:text/css,body{}"])
def test_the_pdf_fetches_nothing_but_the_apps_static_files(app, url):
    with pytest.raises(ValueError):
        static_file(url, "http://localhost/static/", app.static_folder)
    body, kind = static_file("http://localhost/static/css/report.css",
                             "http://localhost/static/", app.static_folder)
    assert kind == "text/css" and b"@page" in body


def test_activities_show_what_the_room_saw(app, make_event, staff):
    """Polls, questions and the evaluation as the review page has them, less the questions
    moderation hid and the evaluation's free texts: those are counted."""
    event = make_event(phase="collect")
    api, headers = app.test_client(), staff.auth(staff.facilitator)
    phone = app.test_client()
    phone_headers = {"X-CSRFToken": join(phone, event)}
    answers = {"poll": {"choices": [1]}, "questions": {"text": "Varför nu?"},
               "evaluation": {"ratings": {"overall": 4}, "text": "Bra kväll, tack"}}
    for kind, body in [("poll", {"title": "Hur kom du hit?", "options": ["Cykel", "Buss"]}),
                       ("questions", {"title": "Frågor"}), ("evaluation", {})]:
        activity = api.post(f"/api/v1/events/{event.id}/activities", headers=headers,
                            json={"kind": kind} | body).get_json()["activity"]["id"]
        api.post(f"/api/v1/events/{event.id}/activities/{activity}/start", headers=headers)
        sent = phone.post(f"/api/v1/activities/{activity}/responses", headers=phone_headers,
                          json=answers[kind] | {"client_id": new_id()})
        assert sent.status_code == 200, sent.get_json()
        if kind == "questions":
            secret = phone.post(f"/api/v1/activities/{activity}/responses",
                                headers=phone_headers,
                                json={"text": "Hemlig fråga om grannen", "client_id": new_id()})
            hidden = api.post(f"/api/v1/questions/{secret.get_json()['question']['id']}/status",
                              headers=headers, json={"status": "hidden"})
            assert hidden.status_code == 200, hidden.get_json()
    reviewer = app.test_client()
    login(reviewer, staff.reviewer)
    html = reviewer.get(f"/events/{event.id}/report").get_data(as_text=True)
    for text in ("Hur kom du hit?", "Varför nu?",
                 "1 post som dolts av moderatorn eller aldrig godkänts visas inte.",
                 "1 fritextkommentar finns på granskningssidan"):
        assert text in html, text
    # Unmoderated free text stays on the review page: the report may become a public paper.
    assert "Hemlig fråga" not in html and "Bra kväll, tack" not in html
    text, _pdf = pdf_text(reviewer.get(f"/events/{event.id}/report.pdf").get_data())
    assert "Bra kväll, tack" not in text and "Hemlig fråga" not in text
