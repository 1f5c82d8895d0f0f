// The person's ballot on screen. The numbers are the server's ballot ({votes, spent,
// remaining}); the page adds only the votes still waiting in the outbox (ballotWithQueued in
// ../outbox.js), which the server has not seen yet. Whenever the server's ballot may have
// changed for another reason (a hide, a merge, an erasure), the phone asks for a snapshot
// (sync.js) instead of working the change out itself.
import { ballotWithQueued } from '../outbox.js';
import { list, state } from './state.js';
import { outbox } from './connection.js';

// A ballot from the server: a snapshot or the answer to a vote.
export function applyBallot(ballot) {
  state.ballot = ballot;
  state.ballotKnown = true;
  redrawBallot();
}

// Draw the known ballot again: the outbox changed, or a proposal was added to the list.
export function redrawBallot() {
  if (state.ballotKnown) renderBallot(ballotWithQueued(state.ballot, outbox.queued, state));
}

function renderBallot(ballot) {
  const { remaining } = ballot;
  for (const item of list.querySelectorAll('.proposal')) {
    const mine = ballot.votes[item.dataset.proposalId] ?? 0;
    // Which button to offer, from the server's numbers and the page's limits: a rating can
    // always be changed; dots run out (the per-proposal cap, or none left); a vote is one.
    const full = state.scale ? false
      : state.dots ? (mine >= state.cap || remaining === 0) : mine > 0;
    item.querySelector('.vote-form').hidden = full;
    item.querySelector('.voted-note').hidden = mine === 0;
    item.querySelector('.withdraw-form').hidden = mine === 0;
    const count = item.querySelector('.my-dots');
    if (count) count.textContent = mine;
    const score = item.querySelector('.my-score');
    if (score) score.textContent = mine || '';
    for (const radio of item.querySelectorAll('input[name="score"]')) {
      radio.checked = Number(radio.value) === mine;
    }
  }
  const remainingNode = document.getElementById('remaining');
  if (remainingNode) remainingNode.textContent = remaining;
  // The "give a dot" buttons go when the dots are spent: this says why, and how to move one.
  const spentNote = document.getElementById('dots-spent');
  if (spentNote) spentNote.hidden = remaining !== 0;
  const spentNode = document.getElementById('spent');
  if (spentNode) spentNode.textContent = ballot.spent;
}
