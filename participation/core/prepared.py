"""Core statements compiled once per dialect and run on the driver's own cursor.

The vote path runs a handful of fixed statements a thousand times a second. Through
SQLAlchemy's `Connection.execute` each costs about 30 µs of Python before SQLite's 5–10 µs
(docs/benchmarks.md: the execution context, the compiled cache lookup, result wrapping and
events); here the statement is compiled once per dialect (its SQL text, the order of its
parameters, their bind and result converters) and each execution is the driver's
`cursor.execute` with plain tuples back. The transaction stays SQLAlchemy's: the cursor is
the transaction's own connection's, so a write made here and one made through the Session
commit or roll back together.

Listeners of `before_cursor_execute` (tests/test_write_cost.py counts statements with one)
still see every statement; a driver's error becomes SQLAlchemy's (IntegrityError,
OperationalError …) as callers expect, and a lost connection is invalidated.
"""

from sqlalchemy import exc


class _Compiled:
    __slots__ = ("sql", "names", "defaults", "bind", "result", "positional")

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        if compiled.insert_prefetch or compiled.update_prefetch:
            # A column default computed in Python would be left out here: name every column.
            raise ValueError(f"give every column a value in: {compiled.string}")
        self.sql = compiled.string
        self.positional = compiled.positional
        self.names = list(compiled.positiontup or ()) if compiled.positional else None
        # Literal values the statement carries itself (e.g. the 1 of `version + 1`).
        self.defaults = {name: bind.effective_value for name, bind in compiled.binds.items()
                         if not bind.required}
        self.bind = dict(compiled._bind_processors)
        processors = [entry.type._cached_result_processor(dialect, None)
                      for entry in compiled._result_columns]
        self.result = processors if any(processors) else None

    def parameters(self, values: dict):
        values = {**self.defaults, **values} if self.defaults else values
        if self.bind:
            values = {k: (self.bind[k](v) if k in self.bind else v) for k, v in values.items()}
        if self.positional:
            return tuple(values[name] for name in self.names)
        return values

    def rows(self, rows: list) -> list:
        if self.result is None:
            return rows
        converters = self.result
        return [tuple(c(v) if c else v for c, v in zip(converters, row, strict=True))
                for row in rows]


class Prepared:
    """One statement, compiled on first use for each dialect it runs on."""

    __slots__ = ("statement", "_by_dialect")

    def __init__(self, statement):
        self.statement = statement
        self._by_dialect = {}

    def compiled(self, dialect) -> _Compiled:
        try:
            return self._by_dialect[dialect]
        except KeyError:
            compiled = self._by_dialect[dialect] = _Compiled(self.statement, dialect)
            return compiled


class Cursor:
    """Runs Prepared statements inside an open SQLAlchemy transaction (a Connection)."""

    __slots__ = ("connection", "dialect", "cursor", "_listeners", "_dbapi_error")

    def __init__(self, connection):
        self.connection = connection
        self.dialect = connection.dialect
        self.cursor = connection.connection.cursor()
        listeners = connection.dispatch.before_cursor_execute
        self._listeners = list(listeners) if listeners else ()
        self._dbapi_error = self.dialect.loaded_dbapi.Error

    def _run(self, prepared: Prepared, values: dict):
        compiled = prepared.compiled(self.dialect)
        parameters = compiled.parameters(values)
        self._execute(compiled.sql, parameters)
        return compiled

    def _execute(self, sql: str, parameters) -> None:
        for listener in self._listeners:
            listener(self.connection, self.cursor, sql, parameters, None, False)
        try:
            self.cursor.execute(sql, parameters)
        except self._dbapi_error as error:
            # As SQLAlchemy's own execute: its exception class (IntegrityError,
            # OperationalError, …), and a lost connection is not given back to the pool.
            wrapped = exc.DBAPIError.instance(sql, parameters, error, self._dbapi_error,
                                              dialect=self.dialect)
            if self.dialect.is_disconnect(error, self.connection.connection.dbapi_connection,
                                          self.cursor):
                self.connection.invalidate(wrapped)
            raise wrapped from error

    def all(self, prepared: Prepared, values: dict) -> list:
        compiled = self._run(prepared, values)
        return compiled.rows(self.cursor.fetchall())

    def first(self, prepared: Prepared, values: dict):
        rows = self.all(prepared, values)
        return rows[0] if rows else None

    def scalar(self, prepared: Prepared, values: dict):
        row = self.first(prepared, values)
        return row[0] if row else None

    def write(self, prepared: Prepared, values: dict) -> int:
        """An INSERT, UPDATE or DELETE without RETURNING: the number of rows it changed."""
        self._run(prepared, values)
        return self.cursor.rowcount

    def sql(self, text: str) -> None:
        """Transaction control the driver passes through (SAVEPOINT, RELEASE, ROLLBACK TO)."""
        self._execute(text, ())

    def close(self) -> None:
        self.cursor.close()
