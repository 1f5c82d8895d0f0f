"""Swedish-Excel downloads (issue 18, docs/exports.md): the staff pages' CSV buttons give the
excel-sv dialect (BOM, ';', decimal comma, Swedish headers); the REST API gives standard CSV
unless `?dialect=excel-sv` is asked for, and refuses a dialect it does not know with a 400."""

import csv
import io
import re

from flask_babel import force_locale
from openapi_spec_validator import validate

from participation.api.openapi import spec
from participation.backlog import operations
from participation.web import exports

from .conftest import login

API = "/api/v1"
BOM = "\ufeff".encode()


def _measure(staff):
    # 0.42 tonnes is not a whole number; the title would be a formula; the owner has a ';'.
    operations.create_measure(staff.reviewer, {
        "title": "=SUMMA(A1)", "owner": "Gata; park", "reduction_low": 0.42,
        "reduction_high": 2, "investment_sek": 1_500_000, "yearly_cost_sek": 1000})


def _swedish_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8")), delimiter=";"))


def _labels(labels: dict, columns) -> list[str]:
    with force_locale("sv"):
        return [str(labels[c]) for c in columns]


def test_every_export_column_has_a_label_of_its_own():
    for name, (columns, labels) in exports.EXPORTS.items():
        assert set(columns) <= set(labels), name
        for column in columns:
            assert labels[column] != column, (name, column)  # never the machine name
        with force_locale("sv"):
            shown = [str(labels[c]) for c in dict.fromkeys(columns)]
        assert len(set(shown)) == len(shown), (name, shown)  # no two columns alike


def test_the_staff_button_gives_swedish_excel_csv(app, staff):
    _measure(staff)
    client = app.test_client()
    assert login(client, staff.reviewer).status_code in (302, 303)
    page = client.get("/backlog/investment").get_data(as_text=True)
    link = re.search(r'href="([^"]*format=csv[^"]*)"', page).group(1).replace("&amp;", "&")
    download = client.get(link)
    assert download.status_code == 200 and "dialect=excel-sv" in link
    header, row = _swedish_rows(download.data)
    assert header == _labels(exports.MEASURES, exports.MEASURE_COLUMNS)
    assert "Rubrik" in header  # "Title", as the catalogue has it today
    cell = dict(zip(exports.MEASURE_COLUMNS, row, strict=True))
    assert cell["reduction_low_t"] == "0,42"
    assert cell["investment_sek"] == "1500000"  # a whole number: no separators at all
    assert cell["title"] == "'=SUMMA(A1)" and cell["owner"] == "Gata; park"
    assert client.get("/backlog/investment?format=csv&dialect=excel-us").status_code == 400


def test_review_page_buttons_ask_for_excel_sv_for_csv_only(app, staff, make_event):
    event = make_event(phase="results")
    client = app.test_client()
    login(client, staff.reviewer)
    links = re.findall(r'href="(/review/[^"]*\.(?:csv|xlsx|json)[^"]*)"',
                       client.get("/review/").get_data(as_text=True)
                       + client.get(f"/review/events/{event.id}").get_data(as_text=True))
    assert {link.split("?")[0].rsplit(".", 1)[1] for link in links} == {"csv", "xlsx", "json"}
    for link in links:
        assert ("dialect=excel-sv" in link) == (".csv" in link), link
    proposals = client.get("/review/proposals.csv?dialect=excel-sv")
    assert _swedish_rows(proposals.data)[0] == _labels(exports.PROPOSALS,
                                                       exports.PROPOSAL_COLUMNS)
    results = client.get(f"/review/events/{event.id}/proposals.csv?dialect=excel-sv")
    assert _swedish_rows(results.data)[0][:2] == _labels(exports.EVENT_RESULTS, ("rank", "id"))


def test_the_api_gives_standard_csv_unless_asked(app, staff):
    _measure(staff)
    http = app.test_client()
    standard = http.get(f"{API}/measures?format=csv").data
    assert not standard.startswith(BOM)
    header, row = csv.reader(io.StringIO(standard.decode("utf-8")))
    assert header == list(exports.MEASURE_COLUMNS)
    assert dict(zip(header, row, strict=True))["reduction_low_t"] == "0.42"
    swedish = http.get(f"{API}/measures/investment?format=csv&dialect=excel-sv").data
    header, row = _swedish_rows(swedish)
    assert header == _labels(exports.MEASURES, exports.MEASURE_COLUMNS)
    assert "0,42" in row
    # XLSX and JSON are the same whatever the dialect.
    assert http.get(f"{API}/measures?format=json&dialect=excel-sv").get_json()["columns"] \
        == list(exports.MEASURE_COLUMNS)


def test_an_unknown_dialect_is_a_400_naming_the_field(app, staff):
    http = app.test_client()
    for path in (f"{API}/measures?format=csv&dialect=excel", f"{API}/measures?dialect=semikolon",
                 f"{API}/measures/investment?format=csv&dialect=EXCEL-SV"):
        refused = http.get(path)
        assert refused.status_code == 400, path
        assert (refused.get_json()["error"], refused.get_json()["field"]) == (
            "invalid_dialect", "dialect")
    refused = http.get(f"{API}/proposals?format=csv&dialect=x", headers=staff.auth(staff.reviewer))
    assert (refused.status_code, refused.get_json()["field"]) == (400, "dialect")
    assert http.get(f"{API}/proposals?format=csv&dialect=standard",
                    headers=staff.auth(staff.reviewer)).status_code == 200


def test_openapi_declares_the_dialect(app):
    validate(spec())
    for path in ("/measures", "/measures/investment", "/proposals", "/votes/aggregated"):
        parameters = spec()["paths"][path]["get"]["parameters"]
        (dialect,) = [p for p in parameters if p["name"] == "dialect"]
        assert dialect["schema"]["enum"] == ["standard", "excel-sv"], path
        assert "excel-sv" in dialect["description"] and not dialect["required"]
