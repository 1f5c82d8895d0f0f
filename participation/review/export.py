import csv
import io

COLUMNS = ("rank", "id", "title", "body", "focus_area", "table", "source", "votes",
           "paper_votes", "dots", "status")


def results_csv(event, rows: list[dict]) -> str:
    """Aggregates only: never who proposed or who voted. Excel opens UTF-8 with a BOM."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(column, "")) for column in COLUMNS])
    return buffer.getvalue()


def _cell(value):
    # A title like "=HYPERLINK(...)" must stay text when a reviewer opens the file in Excel.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
