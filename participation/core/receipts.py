"""Idempotency: a write's result is stored under the client's key and replayed on a retry."""

import json
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, bindparam, insert
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .prepared import Prepared
from .time import utcnow

CLIENT_ID_MAX = 64


class WriteReceipt(db.Model):
    __tablename__ = "write_receipts"
    __table_args__ = (UniqueConstraint("participant_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[str] = mapped_column(String(CLIENT_ID_MAX))
    kind: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def replay(receipt, kind: str) -> dict | None:
    """What a retry gets back: the stored result, or None when the key is new. `receipt` is a
    WriteReceipt or a row with its `kind` and `result`."""
    if receipt is None:
        return None
    return replay_of(receipt.kind, receipt.result, kind)


def replay_of(stored_kind: str, stored_result: str, kind: str) -> dict:
    data = json.loads(stored_result)
    data["replayed"] = True
    if stored_kind != kind:
        # The same key for a different kind of write is a client bug, not a retry.
        data = {"error": "client_id_reused"}
    return data


_INSERT = insert(WriteReceipt.__table__)  # built once: every write stores a receipt
_PREPARED = Prepared(insert(WriteReceipt.__table__).values(
    {name: bindparam(name) for name in ("participant_id", "client_id", "kind", "result",
                                        "created_at")}))


def store(session, participant_id: int, client_id: str, kind: str, result: dict) -> None:
    """`session`: the write's Session or its Connection."""
    # A plain INSERT: nothing reads the receipt back in this transaction, so the ORM's unit of
    # work (object, identity map, flush) would only cost time on every write.
    session.execute(_INSERT, {"participant_id": participant_id, "client_id": client_id,
                              "kind": kind, "result": json.dumps(result)})


def store_prepared(cursor, participant_id: int, client_id: str, kind: str, result: dict) -> None:
    """`store` on the vote path's driver cursor (core/prepared.py)."""
    cursor.write(_PREPARED, {"participant_id": participant_id, "client_id": client_id,
                             "kind": kind, "result": json.dumps(result), "created_at": utcnow()})
