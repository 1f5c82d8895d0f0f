"""The backlog through its pages (no JavaScript), REST and the public measure pages."""

import io
import json
import re
import secrets

from flask import render_template_string
from openpyxl import load_workbook
from sqlalchemy import func, select

from participation.backlog import operations
from participation.backlog.models import Measure, ProposalLink
from participation.events.operations import change_phase
from participation.extensions import db
from participation.proposals.operations import cast_vote, submit_proposal
from participation.review import links
from participation.review.models import ProposalReview
from participation.web.redirects import safe_next

from .conftest import csrf_from, login

API = "/api/v1"


def staff_client(app, user):
    client = app.test_client()
    assert login(client, user).status_code in (302, 303)
    return client, csrf_from(client.get("/events").get_data(as_text=True))


def measures_count():
    db.session.rollback()
    return db.session.scalar(select(func.count(Measure.id)))


def workshop_with_votes(make_event, staff, title="Belys cykelbanorna vintertid"):
    event = make_event(phase="collect")
    author = secrets.token_urlsafe(32)
    pid = submit_proposal(event.id, author, title, "Mörkt", secrets.token_hex(8))[
        "proposal"]["id"]
    change_phase(staff.facilitator, event.id, "vote")
    for _ in range(3):
        voter = secrets.token_urlsafe(32)
        cast_vote(pid, lambda _e, t=voter: t, secrets.token_hex(8))
    return event, pid, author


def test_create_edit_and_status_forms_work_without_javascript(app, staff):
    client, csrf = staff_client(app, staff.reviewer)
    assert client.get("/backlog/new").status_code == 200
    created = client.post("/backlog/new", data={
        "csrf_token": csrf, "title": "Belysta cykelvägar vintertid", "reduction_low": "120",
        "reduction_high": "300,5", "investment_sek": "8 500 000", "yearly_cost_sek": "400 000 kr",
        "owner": "Gatu- och parkförvaltningen"})
    assert created.status_code == 303
    db.session.rollback()
    measure = db.session.scalar(select(Measure))
    assert (measure.reduction_high, measure.investment_sek) == (300.5, 8_500_000)
    page = client.get(f"/backlog/{measure.id}/edit").get_data(as_text=True)
    assert 'value="300,5"' in page and 'value="8 500 000"' in page
    bad = client.post(f"/backlog/{measure.id}/edit", data={
        "csrf_token": csrf, "title": "Belysta", "reduction_low": "mycket",
        "reduction_high": "3", "investment_sek": "1,5"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert 'aria-invalid="true"' in text and "Skriv ett tal" in text and "Skriv hela kronor" in text
    swapped = client.post(f"/backlog/{measure.id}/edit", data={
        "csrf_token": csrf, "title": "Belysta", "reduction_low": "9", "reduction_high": "3"})
    assert swapped.status_code == 422
    assert "Den låga uppskattningen" in swapped.get_data(as_text=True)
    moved = client.post(f"/backlog/{measure.id}/status", data={
        "csrf_token": csrf, "status": "planned"})
    assert moved.status_code == 303
    refused = client.post(f"/backlog/{measure.id}/status", data={
        "csrf_token": csrf, "status": "idea"}, follow_redirects=True)
    assert "Skriv skälet" in refused.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(Measure, measure.id).status == "planned"
    assert client.post(f"/backlog/{measure.id}/status", data={"status": "done"}).status_code \
        == 400  # no CSRF token


def test_backlog_pages_are_for_reviewers_and_admins_only(app, staff):
    mid = operations.create_measure(staff.reviewer, {"title": "Reparationscaféer"})["measure"]["id"]
    facilitator, csrf = staff_client(app, staff.facilitator)
    for path in ("/backlog/", "/backlog/new", "/backlog/investment", "/backlog/import",
                 f"/backlog/{mid}/edit"):
        assert facilitator.get(path).status_code == 403, path
    assert facilitator.post("/backlog/new", data={"csrf_token": csrf, "title": "x"}) \
        .status_code == 403
    anonymous = app.test_client()
    to_login = anonymous.get("/backlog/")  # a staff page: the login page, not a 401
    assert to_login.status_code == 302 and "/login" in to_login.headers["Location"]
    assert anonymous.get(f"/atgarder/{mid}").status_code == 200
    assert anonymous.get(f"/atgarder/{mid}/underlag").status_code == 200
    assert anonymous.get("/atgarder/999").status_code == 404
    admin, _csrf = staff_client(app, staff.admin)
    assert admin.get("/backlog/").status_code == 200
    assert measures_count() == 1


def test_import_page_reports_rows_and_stores_nothing(app, staff):
    client, csrf = staff_client(app, staff.reviewer)
    bad = "titel;minskning_låg;minskning_hög\nBra;1;2\nDålig;9;2\n".encode()
    answer = client.post("/backlog/import", data={
        "csrf_token": csrf, "file": (io.BytesIO(bad), "portfolj.csv")},
        content_type="multipart/form-data")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Inget importerades" in page
    assert re.search(r"<td>3</td><td>minskning_låg</td><td>Den låga", page)
    assert measures_count() == 0
    with open("static/examples/atgarder-exempel.csv", "rb") as example:
        good = client.post("/backlog/import", data={
            "csrf_token": csrf, "file": (example, "atgarder.csv")},
            content_type="multipart/form-data")
    assert good.status_code == 303
    assert measures_count() == 4


def test_import_page_refuses_a_file_over_the_limit(app, staff):
    app.config["BACKLOG_IMPORT_MAX_BYTES"] = 100 * 1024
    client, csrf = staff_client(app, staff.reviewer)
    big = b"titel\n" + b"A\n" * 120_000  # bigger than the limit and than the site's 64 KiB
    answer = client.post("/backlog/import", data={
        "csrf_token": csrf, "file": (io.BytesIO(big), "stor.csv")},
        content_type="multipart/form-data")
    assert answer.status_code == 422
    assert "för stor" in answer.get_data(as_text=True)
    medium = b"titel\n" + b"A\n" * 40_000  # over 64 KiB, under the import limit: accepted
    accepted = client.post("/backlog/import", data={
        "csrf_token": csrf, "file": (io.BytesIO(medium), "mellan.csv")},
        content_type="multipart/form-data")
    assert accepted.status_code == 422  # 40 000 rows: over MAX_ROWS, reported, not a 413
    assert "Högst 2000" in accepted.get_data(as_text=True)
    no_token = client.post("/backlog/import", data={
        "file": (io.BytesIO(b"titel\nA\n"), "a.csv")}, content_type="multipart/form-data")
    assert no_token.status_code == 400  # the page is exempt from the global check, not the form's
    assert measures_count() == 0


def test_link_form_posts_and_returns_to_a_safe_next(app, make_event, staff):
    event, pid, _author = workshop_with_votes(make_event, staff)
    mid = operations.create_measure(staff.reviewer, {"title": "Belysta cykelvägar"})[
        "measure"]["id"]
    client, csrf = staff_client(app, staff.reviewer)
    answer = client.post(f"/backlog/proposals/{pid}/link", data={
        "csrf_token": csrf, "kind": "supports", "measure_id": str(mid),
        "next": f"/review/proposals/{pid}?x=1"})
    assert (answer.status_code, answer.headers["Location"]) == (303, f"/review/proposals/{pid}?x=1")
    db.session.rollback()
    assert db.session.get(ProposalReview, pid).status == "in_backlog"
    evil = client.post(f"/backlog/proposals/{pid}/link", data={
        "csrf_token": csrf, "kind": "out_of_scope", "reason": "",
        "next": "//evil.example/x"}, follow_redirects=False)
    assert evil.headers["Location"] == "/backlog/"
    db.session.rollback()
    assert db.session.scalar(select(ProposalLink.kind)) == "supports"  # refused: no reason
    removed = client.post(f"/backlog/proposals/{pid}/unlink", data={
        "csrf_token": csrf, "next": "/backlog/"})
    assert removed.status_code == 303
    db.session.rollback()
    assert db.session.scalar(select(func.count(ProposalLink.id))) == 0
    facilitator, fcsrf = staff_client(app, staff.facilitator)
    assert facilitator.post(f"/backlog/proposals/{pid}/link", data={
        "csrf_token": fcsrf, "kind": "supports", "measure_id": str(mid)}).status_code == 403
    assert client.post("/backlog/proposals/999/link", data={
        "csrf_token": csrf, "kind": "supports", "measure_id": str(mid)}).status_code == 404


def test_safe_next_keeps_only_local_paths():
    for target in ("//evil.example", "https://evil.example/", "/\\evil", "javascript:x", "", None):
        assert safe_next(target, "/backlog/") == "/backlog/"
    assert safe_next("/review/proposals/3", "/x") == "/review/proposals/3"


def test_the_link_form_renders_itself_for_managers_only(app, make_event, staff):
    _event, pid, _author = workshop_with_votes(make_event, staff)
    operations.create_measure(staff.reviewer, {"title": "Tätare busstrafik"})
    from participation.proposals.models import Proposal

    proposal = db.session.get(Proposal, pid)
    template = '{% include "backlog/_link_form.html" %}'
    for user, shown in ((staff.reviewer, True), (staff.facilitator, False)):
        with app.test_request_context(f"/review/proposals/{pid}"):
            from flask_login import login_user

            login_user(user)
            html = render_template_string(template, proposal=proposal)
        assert (f'action="/backlog/proposals/{pid}/link"' in html) is shown
        if shown:
            assert "Tätare busstrafik" in html and 'value="/review/proposals/' in html
            assert 'name="csrf_token"' in html


def test_investment_view_has_an_accessible_chart_and_table(app, staff):
    for title, low, high, inv, yearly in (
            ("Belysta cykelvägar vintertid", 120, 300, 8_500_000, 400_000),
            ("Tätare busstrafik till universitetet", 400, 900, 2_000_000, 6_500_000),
            ("Reparationscaféer", 15, 40, 300_000, 450_000)):
        operations.create_measure(staff.reviewer, {
            "title": title, "reduction_low": low, "reduction_high": high,
            "investment_sek": inv, "yearly_cost_sek": yearly, "focus_area": "Modig mobilitet"})
    operations.create_measure(staff.reviewer, {"title": "Utan siffror"})
    client, _csrf = staff_client(app, staff.reviewer)
    page = client.get("/backlog/investment").get_data(as_text=True)
    svg = page[page.index("<svg", page.index("<main")): page.index("</svg>", page.index("<main"))]
    assert 'role="img"' in svg and 'aria-labelledby="macc-title macc-desc"' in svg
    assert '<title id="macc-title">' in svg and '<desc id="macc-desc">' in svg
    assert svg.count('<g class="bar">') == 3 and "url(#p-hatch)" in svg
    table = page[page.index('id="investment-table"'):]
    order = [table.index(t) for t in ("Belysta", "Tätare", "Reparationscaféer", "Utan siffror")]
    assert order == sorted(order)  # 5 952, 9 077, 16 000 kr per tonne, then the unplaced
    assert "5 952" in table
    filtered = client.get("/backlog/investment?status=done").get_data(as_text=True)
    assert "<svg" not in filtered[filtered.index("<main"):]  # the header's globe is no chart


def test_exports_hold_aggregates_and_no_identities(app, make_event, staff):
    event, pid, author = workshop_with_votes(make_event, staff, "=HYPERLINK(\"x\")")
    links.link_proposal(staff.reviewer, pid, "created_from",
                             new_measure_fields={"reduction_low": 1, "reduction_high": 2,
                                                 "yearly_cost_sek": 1000})
    client, _csrf = staff_client(app, staff.reviewer)
    csv_text = client.get("/backlog/investment?format=csv").get_data(as_text=True)
    header, row = csv_text.lstrip("\ufeff").splitlines()[:2]
    assert header.split(",")[:3] == ["id", "title", "focus_area"]
    assert "'=HYPERLINK" in row and ",3," in row  # three supporters
    as_json = json.loads(client.get("/backlog/investment?format=json").get_data())
    assert as_json["rows"][0]["supporters"] == 3
    book = load_workbook(io.BytesIO(client.get("/backlog/investment?format=xlsx").get_data()))
    assert book.active["A1"].value == "id"
    everything = csv_text + json.dumps(as_json)
    assert author not in everything and "participant" not in everything
    assert client.get("/backlog/investment?format=pdf").status_code == 400


def test_public_page_and_dossier_tell_what_became_of_the_proposals(app, make_event, staff):
    event, pid, author = workshop_with_votes(make_event, staff)
    mid = links.link_proposal(staff.reviewer, pid, "created_from")["link"]["measure_id"]
    links.link_proposal(staff.reviewer, pid, "supports", measure_id=mid,
                             reason="Ingår i gatuprogrammet 2027")
    operations.change_status(staff.reviewer, mid, "planned")
    # While the vote runs, no public figure tells how it goes: not here, not in the dossier.
    voting = app.test_client().get(f"/atgarder/{mid}").get_data(as_text=True)
    assert "0 personer stödjer" in voting and "3 personer" not in voting
    assert "3 personer" not in app.test_client().get(f"/atgarder/{mid}/underlag").get_data(
        as_text=True)
    change_phase(staff.facilitator, event.id, "results")
    page = app.test_client().get(f"/atgarder/{mid}").get_data(as_text=True)
    assert "Planerad" in page and "Belys cykelbanorna vintertid" in page
    assert "Ingår i gatuprogrammet 2027" in page and "3 personer stödjer" in page
    assert event.title in page and author not in page
    dossier = app.test_client().get(f"/atgarder/{mid}/underlag").get_data(as_text=True)
    assert "Beslutsunderlag" in dossier and "data-print" in dossier
    assert "3 personer har röstat" in dossier and "1 / 1" in dossier


def test_rest_measures_crud_status_and_bad_input(app, staff):
    api = app.test_client()
    auth = staff.auth(staff.reviewer)
    created = api.post(f"{API}/measures", headers=auth, json={
        "title": "Samåkningsparkering", "reduction_low": 60, "reduction_high": 150,
        "investment_sek": 1_500_000, "status": "assessing"})
    assert created.status_code == 201
    mid = created.get_json()["measure"]["id"]
    assert created.get_json()["measure"]["status"] == "assessing"
    for body, field in (({"reduction_low": "60"}, "reduction_low"),
                        ({"investment_sek": 1.5}, "investment_sek"), ({"title": None}, "title"),
                        ({"title": "x", "colour": 1}, "colour")):
        refused = api.patch(f"{API}/measures/{mid}", headers=auth, json=body)
        assert (refused.status_code, refused.get_json()["field"]) == (400, field), body
    assert api.patch(f"{API}/measures/{mid}", headers=auth, json=[1]).status_code == 400
    patched = api.patch(f"{API}/measures/{mid}", headers=auth, json={"owner": "Umeå kommun"})
    assert patched.get_json()["measure"]["owner"] == "Umeå kommun"
    status = api.post(f"{API}/measures/{mid}/status", headers=auth,
                      json={"status": "rejected"})
    assert (status.status_code, status.get_json()["field"]) == (400, "reason")
    status = api.post(f"{API}/measures/{mid}/status", headers=auth,
                      json={"status": "rejected", "reason": "Ingen mark"})
    assert status.get_json()["measure"]["rejected_reason"] == "Ingen mark"
    public = app.test_client().get(f"{API}/measures/{mid}").get_json()
    assert [h["status"] for h in public["history"]] == ["assessing", "rejected"]
    assert public["cost_effectiveness"]["sek_per_t"] == 1429
    listed = app.test_client().get(f"{API}/measures?status=rejected").get_json()
    assert [m["id"] for m in listed["measures"]] == [mid]
    for user, code in ((staff.facilitator, 403), (staff.other, 403)):
        assert api.post(f"{API}/measures", headers=staff.auth(user),
                        json={"title": "x"}).status_code == code
    assert api.post(f"{API}/measures", json={"title": "x"}).status_code == 401
    assert api.delete(f"{API}/measures/{mid}", headers=auth).get_json() == {"deleted": mid}
    assert api.get(f"{API}/measures/{mid}").status_code == 404


def test_rest_import_and_links(app, make_event, staff):
    api = app.test_client()
    auth = staff.auth(staff.reviewer)
    bad = api.post(f"{API}/measures/import", headers=auth | {"Content-Type": "text/csv"},
                   data=b"titel;status\nA;kanske\n")
    assert bad.status_code == 422
    assert bad.get_json()["problems"] == [{"row": 2, "column": "status",
                                          "message": bad.get_json()["problems"][0]["message"]}]
    with open("static/examples/atgarder-exempel.csv", "rb") as example:
        good = api.post(f"{API}/measures/import", headers=auth,
                        data={"file": (example, "a.csv")}, content_type="multipart/form-data")
    assert (good.status_code, good.get_json()["imported"]) == (201, 4)
    assert api.post(f"{API}/measures/import", headers=staff.auth(staff.facilitator),
                    data=b"titel\nA\n").status_code == 403
    app.config["BACKLOG_IMPORT_MAX_BYTES"] = 1024
    too_big = api.post(f"{API}/measures/import", headers=auth, data=b"titel\n" + b"A\n" * 600)
    assert too_big.status_code == 413

    _event, pid, _author = workshop_with_votes(make_event, staff)
    mid = good.get_json()["measure_ids"][0]
    for body, field in (({"kind": "supports", "measure_id": "1"}, "measure_id"),
                        ({"kind": "nej"}, "kind"), ({"kind": "out_of_scope"}, "reason"),
                        ({"kind": "created_from", "new_measure": "x"}, "new_measure")):
        refused = api.put(f"{API}/proposals/{pid}/link", headers=auth, json=body)
        assert (refused.status_code, refused.get_json()["field"]) == (400, field), body
    linked = api.put(f"{API}/proposals/{pid}/link", headers=auth,
                     json={"kind": "supports", "measure_id": mid})
    assert linked.get_json()["link"]["kind"] == "supports"
    # Public data: the support waits for the event's results, as on the event's own page.
    supported = api.get(f"{API}/measures/investment").get_json()["measures"]
    assert next(m for m in supported if m["id"] == mid)["support"]["people"] == 0
    assert api.get(f"{API}/measures/{mid}").get_json()["support"]["people"] == 0
    change_phase(staff.facilitator, _event.id, "results")
    supported = api.get(f"{API}/measures/investment").get_json()["measures"]
    assert next(m for m in supported if m["id"] == mid)["support"]["people"] == 3
    assert api.get(f"{API}/measures/{mid}").get_json()["support"]["people"] == 3
    assert api.delete(f"{API}/proposals/{pid}/link", headers=auth).get_json()["link"] is None
    assert api.put(f"{API}/proposals/{pid}/link", headers=staff.auth(staff.facilitator),
                   json={"kind": "supports", "measure_id": mid}).status_code == 403
    assert api.get(f"{API}/measures/investment?format=xlsx").status_code == 200
    export = app.test_client().get(f"{API}/measures?format=csv")
    assert export.headers["Content-Disposition"] == 'attachment; filename="atgarder.csv"'
    assert export.get_data(as_text=True).count("\n") == 5  # header and four measures
    assert app.test_client().get(f"{API}/measures?format=doc").get_json()["field"] == "format"


def test_every_backlog_route_is_in_openapi(app):
    spec = app.test_client().get(f"{API}/openapi.json").get_json()
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")
             and ("measure" in r.rule or r.rule.endswith("/link"))]
    assert len(rules) >= 6
    for rule in rules:
        path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
        assert path in spec["paths"], path
        assert {m.lower() for m in rule.methods} - {"head", "options"} <= set(
            spec["paths"][path]), path
