"""Whether a row is still pointed at: asked of the schema's foreign keys, not of the models.

A table someone sits at, a question card a proposal answers: such rows must stay. Reading the
foreign keys that point at the table lets the owning domain ask "is it in use?" without
importing the domains that use it (those sit above it), and a new reference counts by itself.
"""

from sqlalchemy import Table, exists, or_, select


def in_use(session, table: Table, row_id: int) -> bool:
    """True when any row of another table has a foreign key to `row_id` in `table`."""
    checks = [exists().where(fk.parent == row_id)
              for other in table.metadata.sorted_tables if other is not table
              for fk in other.foreign_keys if fk.column.table is table]
    return bool(checks) and bool(session.scalar(select(or_(*checks))))
