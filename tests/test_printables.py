"""Print views: the A4 poster with the join QR code."""

from .conftest import login


def test_printable_poster_has_the_qr_code_and_both_languages(app, make_event, staff):
    event = make_event()
    http = app.test_client()
    assert http.get(f"/events/{event.id}/poster").status_code == 302  # staff only
    login(http, staff.facilitator)
    page = http.get(f"/events/{event.id}/poster").get_data(as_text=True)
    assert f"/j/{event.code}/qr.svg" in page and event.code in page
    assert 'lang="sv"' in page and 'lang="en"' in page
    other = app.test_client()
    login(other, staff.other)
    assert other.get(f"/events/{event.id}/poster").status_code == 403
