"""One unit of work per operation: validate, write, commit, and only then publish."""

from contextlib import contextmanager

from sqlalchemy.orm import Session

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


@contextmanager
def separate_write_transaction():
    """A write transaction on a Session of its own, not the request's: whatever it loads,
    adds or throws away never touches the objects the request holds (core/group_commit.py
    writes other requests' votes in it)."""
    session = Session(db.engine)
    try:
        session.connection(execution_options={IMMEDIATE: True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
