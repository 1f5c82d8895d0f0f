// The vote, rating and withdraw forms on each proposal, sent through the outbox once the socket
// has worked (plain form posts before that, and without JavaScript). The ballot drawn afterwards
// is the one the server answers with (sync.js ballotSent), or the queued vote on top of it.
import { newClientId } from '../live.js';
import { list, state, t } from './state.js';
import { announce } from './news.js';
import { outbox, queueable, socket } from './connection.js';
import { ballotSent } from './sync.js';

export function wireVoteForms() {
  list.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!form.matches('.vote-form, .withdraw-form') || !queueable()) return;
    event.preventDefault();
    const item = form.closest('.proposal');
    const proposalId = Number(item.dataset.proposalId);
    const name = form.matches('.vote-form') ? 'vote' : 'withdraw_vote';
    const payload = { proposal_id: proposalId, client_id: newClientId() };
    if (name === 'vote' && state.scale) {
      const chosen = form.querySelector('input[name="score"]:checked');
      payload.score = chosen ? Number(chosen.value) : null;
      // Offline only: online, the server's refusal says the same.
      if (payload.score === null && !socket.connected) { announce(t.choose_score); return; }
    } else if (name === 'vote') payload.dots = 1;
    else if (form.elements.dots) payload.dots = Number(form.elements.dots.value); // one dot back
    const button = form.querySelector('button');
    button.disabled = true;
    const ack = await outbox.add(name, payload, {
      kind: name === 'vote' ? 'vote' : 'withdraw',
      dots: payload.dots ?? null,
      title: item.querySelector('.p-title').textContent,
      score: payload.score ?? null,
    });
    button.disabled = false;
    if (ack.queued || ack.ok) {
      if (ack.ok) ballotSent(ack);
      else announce(t.outbox_saved);
      // The button pressed may be hidden now: the focus goes to the one that undoes it.
      (item.querySelector('.withdraw-form:not([hidden]) button')
        ?? item.querySelector('.vote-form:not([hidden]) button'))?.focus();
    } else {
      announce(ack.message ?? t.error);
    }
  });
}
