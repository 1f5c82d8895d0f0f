"""The printed table cards as Chromium prints them: tent cards two to an A4 sheet, scribe cards six.

Each tent card is half a sheet, cut along its dashed line and folded along the dotted one in the
middle; its top half is the same face upside down, so it reads from both sides of the table. The
PDF is read back with PDFium: the number of sheets, and every printed letter inside one card's
half. The layout is measured too, in print emulation at the width between the page margins: no
card taller than its share of a sheet, nothing of a card outside it or cut off inside it. The
sheets are also drawn to test-artifacts/print/ as PNG, for a person to look at.
"""

import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from ..support.required import import_or_missing
from .conftest import SCREENSHOTS

pdfium = import_or_missing("pypdfium2", "pip install -e '.[dev]'")

pytestmark = [pytest.mark.browser, pytest.mark.live]

PRINTS = SCREENSHOTS.parent / "print"
TABLES = 6
TENT_PER_SHEET, SCRIBE_PER_SHEET = 2, 6
A4_MM = (210, 297)
MARGIN_MM = 10  # @page table-cards in static/css/app.css
TENT_MM = 138   # the height of one tent card there
PX_PER_MM = 96 / 25.4
PT_PER_MM = 72 / 25.4
TITLE = "Cykelverkstad Backa: hur får fler att cykla till skolan?"

BOXES = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height}; };
  const parts = (el) => [...el.querySelectorAll('p, h1, img')].map((p) => ({
    text: p.textContent.trim() || p.getAttribute('alt') || p.tagName, box: box(p),
    clipped: p.tagName !== 'IMG' && p.scrollHeight > p.clientHeight + 1}));
  return {
    tents: [...document.querySelectorAll('article.table-print-card:not(.scribe-print-card)')]
      .map((card) => ({box: box(card), faces: [...card.querySelectorAll('.tent-face')].map((f) => ({
        back: f.classList.contains('tent-back'), box: box(f),
        transform: getComputedStyle(f).transform, parts: parts(f)}))})),
    scribes: [...document.querySelectorAll('.scribe-print-card')]
      .map((card) => ({box: box(card), parts: parts(card)})),
    heading: box(document.querySelector('.scribe-cards-heading')),
  };
}"""


def inside(inner, outer, slack=0.5):
    return (inner["top"] >= outer["top"] - slack and inner["bottom"] <= outer["bottom"] + slack
            and inner["left"] >= outer["left"] - slack and inner["right"] <= outer["right"] + slack)


def between_margins(left, top, right, bottom):
    """A box in mm on an A4 sheet lies inside the page margins (where the cards are)."""
    width, height = A4_MM
    return (min(left, top) >= MARGIN_MM and right <= width - MARGIN_MM
            and bottom <= height - MARGIN_MM)


def write_png(path, bitmap):
    """A PDFium bitmap (RGB, rev_byteorder) as a PNG file, with the standard library alone."""
    width, height, stride, channels = (bitmap.width, bitmap.height, bitmap.stride,
                                       bitmap.n_channels)
    raw = bytes(bitmap.buffer)
    rows = b"".join(b"\x00" + raw[y * stride: y * stride + width * channels]
                    for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, {3: 2, 4: 6}[channels], 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def letters(sheet):
    """Every printed letter of a PDF page, (char, left, top, right, bottom) in mm from the top
    left corner, and the page's text.

    PDFium places the two letters of an "fl" or "fi" ligature in Chromium's upside-down group
    off the page (the glyph itself prints in its place): such a letter takes the box of the
    letter before it.
    """
    text = sheet.get_textpage()
    width, height = sheet.get_width(), sheet.get_height()
    chars = text.get_text_range()
    found = []
    for index in range(text.count_chars()):
        char = text.get_text_range(index, 1)
        if not char.strip():
            continue
        left, bottom, right, top = text.get_charbox(index)
        box = (left / PT_PER_MM, (height - top) / PT_PER_MM, right / PT_PER_MM,
               (height - bottom) / PT_PER_MM)
        ligature = chars[max(index - 1, 0): index + 2]
        if (left > width or right < 0) and found and re.search(r"f[fil]", ligature):
            box = found[-1][1:]
        found.append((char, *box))
    return found, chars


def test_table_cards_print_as_tent_cards_two_to_a_sheet(live_server, facilitator):
    event = live_server.create_event(title=TITLE, tables=TABLES)
    page = facilitator.new_page()
    page.goto(f"{live_server.url}/events/{event['id']}/tables/cards")
    expect(page.locator(".tent-front .table-print-qr")).to_have_count(TABLES)
    expect(page.locator(".tent-back")).to_have_count(TABLES)
    expect(page.locator(".tent-back").first).to_be_hidden()  # on screen: the front alone
    assert page.evaluate("() => [...document.images].every((i) => i.complete && i.naturalWidth)")

    pdf = page.pdf(format="A4")
    document = pdfium.PdfDocument(pdf)
    tent_sheets = -(-TABLES // TENT_PER_SHEET)
    scribe_sheets = -(-TABLES // SCRIBE_PER_SHEET)
    assert len(document) == tent_sheets + scribe_sheets  # 3 + 1, not one card per sheet
    PRINTS.mkdir(parents=True, exist_ok=True)
    code = event["code"]
    for number in range(len(document)):
        sheet = document[number]
        assert (round(sheet.get_width() / PT_PER_MM), round(sheet.get_height() / PT_PER_MM)) \
            == A4_MM
        write_png(PRINTS / f"table-cards-{number + 1}.png",
                  sheet.render(scale=100 / 72, rev_byteorder=True))
        found, text = letters(sheet)
        assert found, f"sheet {number + 1} is empty"
        if number < tent_sheets:
            # Four halves on the sheet; every letter stays inside one half (the cut lines and
            # the fold), and the top half of each card has the letters of the bottom half.
            half = TENT_MM / 2
            halves = [[] for _ in range(2 * TENT_PER_SHEET)]
            for char, left, top, right, bottom in found:
                band = int((top - MARGIN_MM) // half)
                assert 0 <= band < len(halves) and bottom <= MARGIN_MM + (band + 1) * half, \
                    (number + 1, char, top, bottom)
                assert between_margins(left, top, right, bottom), (char, left, top, right, bottom)
                halves[band].append(char)
            for slot in range(TENT_PER_SHEET):
                table = number * TENT_PER_SHEET + slot + 1
                back, front = halves[2 * slot], halves[2 * slot + 1]
                face = "".join(front)
                assert f"Bord{table}" in face and f"vidbord{table}." in face \
                    and f"table{table}." in face and code in face and TITLE[:12] in face, face
                assert sorted(back) == sorted(front), (table, "".join(back), face)
        else:
            for char, left, top, right, bottom in found:
                assert between_margins(left, top, right, bottom), (char, left, top, right, bottom)
            first = (number - tent_sheets) * SCRIBE_PER_SHEET
            words = "".join(text.split())
            assert words.count("Skannaförattskrivain") == min(SCRIBE_PER_SHEET, TABLES - first)
            for table in range(first + 1, min(first + SCRIBE_PER_SHEET, TABLES) + 1):
                assert f"sekreterare,Bord{table}" in words, words

    # The layout in print emulation, as wide as the space between the page margins.
    content = {"width": (A4_MM[0] - 2 * MARGIN_MM) * PX_PER_MM,
               "height": (A4_MM[1] - 2 * MARGIN_MM) * PX_PER_MM}
    page.set_viewport_size({k: round(v) for k, v in content.items()})
    page.emulate_media(media="print")
    layout = page.evaluate(BOXES)
    assert len(layout["tents"]) == len(layout["scribes"]) == TABLES
    for card in layout["tents"]:
        assert abs(card["box"]["height"] - TENT_MM * PX_PER_MM) < 1
        assert TENT_PER_SHEET * card["box"]["height"] <= content["height"]
        back, front = sorted(card["faces"], key=lambda f: not f["back"])
        assert back["box"]["bottom"] <= front["box"]["top"] + 1  # the upside-down half on top
        assert back["transform"] == "matrix(-1, 0, 0, -1, 0, 0)", back["transform"]
        assert front["transform"] == "none"
        for face in (back, front):
            assert inside(face["box"], card["box"])
            assert len(face["parts"]) == 6, face["parts"]  # kicker, name, sv, en, address, QR
            for part in face["parts"]:
                assert inside(part["box"], face["box"]) and not part["clipped"], part
    # The heading and the first sheet's scribe cards, in two columns, fit between the margins.
    first_sheet = layout["scribes"][:SCRIBE_PER_SHEET]
    assert first_sheet[-1]["box"]["bottom"] - layout["heading"]["top"] <= content["height"]
    scribe_height = first_sheet[0]["box"]["height"]
    for card in layout["scribes"]:
        assert abs(card["box"]["height"] - scribe_height) < 1
        assert len(card["parts"]) == 4, card["parts"]  # name, QR, sv, en
        for part in card["parts"]:
            assert inside(part["box"], card["box"]) and not part["clipped"], part
