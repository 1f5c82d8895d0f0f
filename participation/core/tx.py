"""One unit of work per operation: validate, write, commit, and only then publish."""

from contextlib import contextmanager

from ..extensions import db
from .sqlite import IMMEDIATE


@contextmanager
def write_transaction():
    """Run the body in its own write transaction; commit on success, roll back on any error."""
    session = db.session()  # the request's Session behind the scoped proxy
    if session.in_transaction():
        # Reads made earlier in the request must not share a snapshot with the write.
        session.commit()
    session.connection(execution_options={IMMEDIATE: True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
