// The resident's writes, kept on the phone until the server has answered them.
//
// Every write (a proposal, a vote, a withdrawal) is put here first, with its client_id, and
// sent from here in the order it was made. A write the connection cannot take now (offline,
// the socket dropped, no answer in time) is marked queued, stays in localStorage (so it
// survives a reload) and is sent again, with the same client_id, once the socket is back. The
// server keeps a receipt per client_id and answers a write it already has with the stored
// result, so a write sent twice (say its first answer was lost) still counts once.

import { format } from './live.js';

// Answers that mean "not now" rather than "no": the write stays and is sent again. A
// server_error may have come after the commit (a push that failed), so it is sent again too:
// with the same client_id that is safe. Unanswered or failing while connected, a write is
// given up after MAX_TRIES, so one broken write cannot hold up all behind it for good.
const NOT_NOW = new Set(['timeout', 'not_connected', 'rate_limited', 'server_error']);
const COUNTED = new Set(['timeout', 'server_error']);
const MAX_TRIES = 5;
const RETRY_MS = 5000;
const WRITES = new Set(['submit_proposal', 'vote', 'withdraw_vote']);

// What an earlier page (or an older version of this one) left in storage, if it is usable.
function usable(item) {
  return item !== null && typeof item === 'object' && WRITES.has(item.name)
    && item.payload !== null && typeof item.payload === 'object'
    && typeof item.payload.client_id === 'string' && item.payload.client_id.length > 0
    && item.label !== null && typeof item.label === 'object' && typeof item.label.kind === 'string';
}

export class Outbox {
  // transmit(name, payload) -> Promise<ack>; ready() -> may we send now;
  // settled(item, ack) gets the answer to a write whose sender stopped waiting (it was queued);
  // changed(items) runs after every change, to redraw what the resident sees.
  constructor(key, { transmit, ready, settled, changed }) {
    Object.assign(this, { key, transmit, ready, settled, changed });
    this.items = this.load();
    this.waiting = new Map(); // client_id -> resolve, for a sender still waiting on its answer
    this.draining = false;
    this.timer = null;
  }

  load() {
    try {
      const items = JSON.parse(localStorage.getItem(this.key) ?? '[]');
      // Whatever was left by an earlier page is by definition waiting for a connection.
      return Array.isArray(items)
        ? items.filter(usable).map((item) => ({ ...item, queued: true })) : [];
    } catch { return []; }
  }

  save() {
    try {
      if (this.items.length) localStorage.setItem(this.key, JSON.stringify(this.items));
      else localStorage.removeItem(this.key);
    } catch { /* private mode or full: the queue lives in this page only */ }
    this.changed(this.items);
  }

  get queued() { return this.items.filter((item) => item.queued); }

  // Resolves with the server's answer, or with {queued: true} as soon as the write has to wait.
  add(name, payload, label) {
    const item = { name, payload, label, queued: !this.ready() };
    this.items.push(item);
    this.save();
    if (item.queued) return Promise.resolve({ queued: true });
    const answer = new Promise((resolve) => this.waiting.set(payload.client_id, resolve));
    this.drain();
    return answer;
  }

  async drain() {
    if (this.draining) return;
    this.draining = true;
    clearTimeout(this.timer);
    try {
      while (this.items.length && this.ready()) {
        const item = this.items[0];
        // One at a time, in the order made: a withdrawal must not overtake its vote.
        const ack = await this.transmit(item.name, item.payload);
        if (NOT_NOW.has(ack?.error)) {
          item.tries = (item.tries ?? 0) + (COUNTED.has(ack.error) && this.ready() ? 1 : 0);
          if (item.tries < MAX_TRIES) { this.hold(ack); break; }
        }
        this.items.splice(this.items.indexOf(item), 1);
        const resolve = this.waiting.get(item.payload.client_id);
        this.waiting.delete(item.payload.client_id);
        if (resolve) resolve(ack); else this.settled(item, ack);
        this.save();
      }
    } finally { this.draining = false; }
  }

  // The head could not go now: it and everything behind it wait, in order, for the next try.
  hold(ack) {
    for (const item of this.items) {
      item.queued = true;
      this.waiting.get(item.payload.client_id)?.({ queued: true });
      this.waiting.delete(item.payload.client_id);
    }
    this.save();
    // Offline or dropped: the next connect drains. Still connected but slow or limited: try again.
    const wait = ack?.error === 'rate_limited' ? (ack.retry_after ?? 1) * 1000 : RETRY_MS;
    this.timer = setTimeout(() => this.drain(), wait);
  }
}

// The ballot as the resident will have it once the queued votes are in. Safe to show ahead of
// the server: only this person changes their ballot, and a refusal (voting closed meanwhile,
// no dots left) takes the queued vote out again. `method` has the page's scale, dots, budget.
export function ballotWithQueued(ballot, queued, method) {
  const writes = queued.filter((item) => item.name === 'vote' || item.name === 'withdraw_vote');
  if (writes.length === 0) return ballot;
  const votes = { ...ballot.votes };
  for (const { name, payload } of writes) {
    const id = String(payload.proposal_id);
    if (name === 'withdraw_vote') {
      // A dots withdrawal may take back some of them (one from the phone), or all.
      const left = payload.dots ? (votes[id] ?? 0) - payload.dots : 0;
      if (left > 0) votes[id] = left;
      else delete votes[id];
    }
    else if (method.scale) votes[id] = payload.score;
    else if (method.dots) votes[id] = (votes[id] ?? 0) + payload.dots;
    else votes[id] = 1;
  }
  const spent = method.scale ? Object.keys(votes).length
    : Object.values(votes).reduce((sum, n) => sum + n, 0);
  return { votes, spent, remaining: method.dots ? method.budget - spent : null };
}

// One line for the resident: "Förslag: …", "Röst: …", "Betyg 4: …", "Ta tillbaka rösten: …".
export function describeWrite({ label }, t) {
  if (label.kind === 'proposal') return format(t.outbox_proposal, { title: label.title });
  if (label.kind === 'withdraw') {
    return format(label.dots ? t.outbox_withdraw_dot : t.outbox_withdraw, { title: label.title });
  }
  if (label.score) return format(t.outbox_score, { title: label.title, score: label.score });
  return format(t.outbox_vote, { title: label.title });
}
