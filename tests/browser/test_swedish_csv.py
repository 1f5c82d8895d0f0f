"""The staff page's CSV button, clicked in real Chromium, saves a file Swedish Excel opens as
columns and numbers (docs/exports.md): UTF-8 BOM, ';' between cells, a decimal comma."""

import csv
import io
from pathlib import Path

import pytest
import requests

from .conftest import DESKTOP, log_in

pytestmark = [pytest.mark.browser, pytest.mark.live]
TITLE = "Laddstolpar vid Ersboda bibliotek"


def test_the_investment_pages_csv_button_downloads_swedish_excel_csv(live_server, contexts):
    created = requests.post(live_server.url + "/api/v1/measures", headers=live_server.auth(
        "rev@live.se"), json={"title": TITLE, "reduction_low": 0.42, "reduction_high": 3})
    assert created.status_code == 201, created.text
    staff = contexts(viewport=DESKTOP, accept_downloads=True).new_page()
    log_in(staff, live_server.url, "rev@live.se")
    staff.goto(live_server.url + "/backlog/investment")
    with staff.expect_download() as waiting:
        staff.locator("a[href*='format=csv']").click()
    data = Path(waiting.value.path()).read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    # Other tests share this server's backlog: the line is found by this measure's title.
    (line,) = [r for r in rows if TITLE in r]
    assert "0,42" in line and len(line) == len(rows[0]) > 20
