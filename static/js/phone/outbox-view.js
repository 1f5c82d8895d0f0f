// The outbox on screen: what waits on the phone (#outbox-pending, and a badge on each proposal
// with a vote waiting), and what the server refused once it got it (#outbox-refused, a
// role=alert list the resident dismisses). The outbox itself is ../outbox.js.
import { format } from '../live.js';
import { describeWrite } from '../outbox.js';
import { list, t } from './state.js';
import { announce } from './news.js';
import { outbox } from './connection.js';
import { redrawBallot } from './ballot.js';
import { ballotSent, proposalSent } from './sync.js';
import { proposalForm } from './forms.js';

const refusals = [];
let justRefused = false;
let hadQueued = outbox.queued.length > 0;

function describe(item) { return describeWrite(item, t); }

export function renderOutbox() {
  const { queued } = outbox;
  document.getElementById('outbox-list').replaceChildren(...queued.map((item) => {
    const li = document.createElement('li');
    li.textContent = describe(item);
    return li;
  }));
  document.getElementById('outbox-pending').hidden = queued.length === 0;
  document.getElementById('outbox-refused-list').replaceChildren(...refusals.map((text) => {
    const li = document.createElement('li');
    li.textContent = text;
    return li;
  }));
  document.getElementById('outbox-refused').hidden = refusals.length === 0;
  document.getElementById('outbox').hidden = queued.length === 0 && refusals.length === 0;
  // A vote still on the phone is marked where it was cast.
  const waiting = new Set(queued.filter((item) => item.name !== 'submit_proposal')
    .map((item) => item.payload.proposal_id));
  for (const node of list.querySelectorAll('.proposal')) {
    let badge = node.querySelector('.p-queued');
    const here = waiting.has(Number(node.dataset.proposalId));
    if (here && !badge) {
      badge = document.createElement('p');
      badge.className = 'p-queued badge badge-pending';
      node.querySelector('.vote-controls').prepend(badge);
    }
    if (badge) { badge.hidden = !here; badge.textContent = here ? t.outbox_saved : ''; }
  }
  redrawBallot();
  // A refusal speaks for itself (role=alert); otherwise say once that the queue has gone.
  if (hadQueued && queued.length === 0 && !justRefused) announce(t.outbox_all_sent);
  hadQueued = queued.length > 0;
  justRefused = false;
}

// The answer to a write that had waited on the phone; the resident has moved on meanwhile.
export function settleQueued(item, ack) {
  const status = proposalForm.querySelector('.form-status');
  if (ack.ok) {
    if (item.name === 'submit_proposal') {
      const sent = proposalSent(ack);
      if (status.textContent === t.outbox_saved) status.textContent = sent;
    } else ballotSent(ack);
    return;
  }
  refusals.push(format(t.outbox_refused, { what: describe(item), reason: ack.message ?? t.error }));
  justRefused = true;
  // A refused proposal's text goes back into an empty form, so it is not lost.
  const title = proposalForm.querySelector('[name="title"]');
  if (item.name === 'submit_proposal' && !title.value) {
    title.value = item.label.title;
    proposalForm.querySelector('[name="body"]').value = item.label.body;
  }
  if (status.textContent === t.outbox_saved) status.textContent = '';
  renderOutbox();
}

export function wireOutboxView() {
  document.getElementById('outbox-dismiss').addEventListener('click', () => {
    refusals.length = 0;
    renderOutbox();
  });
}
