"""The one place a proposal's review status changes: the current state and its public history.

Called inside the write transaction of an operation (setting a status by hand, or linking the
proposal to the backlog), so the state and its history are written together or not at all.
"""

from ..core.time import utcnow
from ..notifications.operations import queue_status_change
from .models import ProposalReview, ReviewEntry


def current(session, proposal_id: int) -> ProposalReview | None:
    return session.get(ProposalReview, proposal_id)


def record_status(session, proposal_id: int, status: str, public_answer: str, user) -> bool:
    """Set the status and public answer; returns False (and writes nothing) when unchanged."""
    review = session.get(ProposalReview, proposal_id)
    if review is not None and (review.status, review.public_answer) == (status, public_answer):
        return False
    previous = review.status if review is not None else "received"
    if review is None:
        review = ProposalReview(proposal_id=proposal_id)
        session.add(review)
    if status != previous:  # a new answer alone is not a new status: nobody is mailed for it
        queue_status_change(session, proposal_id, status)
    review.status, review.public_answer = status, public_answer
    review.reviewer_id = user.id if user is not None else None
    review.updated_at = utcnow()
    session.add(ReviewEntry(proposal_id=proposal_id, status=status, public_answer=public_answer,
                            actor_id=review.reviewer_id))
    return True
