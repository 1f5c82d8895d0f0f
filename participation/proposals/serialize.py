"""The shapes of a proposal: the same dicts in snapshots, pushes, acks and the API."""


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def full_proposal(proposal, event) -> dict:
    """Everything about it: for staff, and for its author."""
    focus = next((f for f in event.focus_areas if f.id == proposal.focus_area_id), None)
    return {
        "id": proposal.id,
        "status": proposal.status,
        "title": proposal.title,
        "body": proposal.body,
        "focus_area_id": proposal.focus_area_id,
        "focus_area": focus.name if focus else None,
        "question_id": proposal.question_id,
        "author_name": proposal.author_name,
        "source": proposal.source,
        "table": next((t.number for t in event.tables if t.id == proposal.table_id), None),
        "created_at": _iso(proposal.created_at),
        "hidden_reason": proposal.hidden_reason,
        "edit_reason": proposal.edit_reason,
        "merged_into": proposal.merged_into_id,
        "merged_from": merged_from(proposal),
    }


def merged_from(proposal) -> list[dict]:
    """The texts merged into this proposal, also those merged into them (oldest first)."""
    found, pending = [], list(proposal.merged_sources)
    while pending:
        source = pending.pop(0)
        found.append({"id": source.id, "title": source.title, "body": source.body,
                      "author_name": source.author_name})
        pending.extend(source.merged_sources)
    return sorted(found, key=lambda entry: entry["id"])


def public_proposal(proposal, event) -> dict:
    """What everyone may see. Moderation is shown as moderation: a hidden proposal keeps its
    reason and loses its content; a proposal waiting for approval is never public."""
    if proposal.status == "hidden":
        return {"id": proposal.id, "status": "hidden", "hidden_reason": proposal.hidden_reason}
    if proposal.status == "pending":
        return {"id": proposal.id, "status": "pending"}
    if proposal.status == "merged":
        # Its text lives on under the target's merged_from; it is not a proposal of its own.
        return {"id": proposal.id, "status": "merged", "merged_into": proposal.merged_into_id}
    data = full_proposal(proposal, event)
    del data["hidden_reason"]
    return data
