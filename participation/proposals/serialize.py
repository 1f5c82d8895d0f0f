"""The public shape of a proposal: the same dict in snapshots, pushes, acks and the API."""


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def public_proposal(proposal, event) -> dict:
    if not proposal.is_visible:
        # Moderation is shown as moderation: the reason stays, the content goes.
        return {"id": proposal.id, "status": "hidden", "hidden_reason": proposal.hidden_reason}
    focus = next((f for f in event.focus_areas if f.id == proposal.focus_area_id), None)
    return {
        "id": proposal.id,
        "status": "visible",
        "title": proposal.title,
        "body": proposal.body,
        "focus_area_id": proposal.focus_area_id,
        "focus_area": focus.name if focus else None,
        "author_name": proposal.author_name,
        "created_at": _iso(proposal.created_at),
    }
