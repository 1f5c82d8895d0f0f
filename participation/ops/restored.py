"""What a restored database holds: its schema revision against the code's, rows per table."""

from dataclasses import dataclass

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import MetaData, func, inspect, select, text
from sqlalchemy.engine import Engine


@dataclass
class Restored:
    revision: str | None
    heads: tuple[str, ...]
    known: bool
    counts: dict[str, int]

    @property
    def current(self) -> bool:
        return self.revision in self.heads


def examine(engine: Engine, migrations: str) -> Restored:
    script = ScriptDirectory(migrations)
    with engine.connect() as connection:
        names = inspect(connection).get_table_names()
        revision = None
        if "alembic_version" in names:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        metadata = MetaData()
        metadata.reflect(bind=connection)
        counts = {name: connection.execute(select(func.count()).select_from(table)).scalar()
                  for name, table in sorted(metadata.tables.items())}
    try:
        known = revision is not None and script.get_revision(revision) is not None
    except CommandError:
        known = False
    return Restored(revision, tuple(script.get_heads()), known, counts)
