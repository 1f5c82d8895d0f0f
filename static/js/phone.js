// The resident's phone: enhances the plain forms with live updates and acknowledged writes.
import {
  Versions, connect, format, newClientId, plural, send, setStatus, strings,
} from './live.js';
import { orderKey } from './order.js';
import { Outbox, ballotWithQueued, describeWrite } from './outbox.js';
import { countdown } from './timer.js';
import { scheduleLine } from './schedule.js';
import { announcer } from './announce.js';

const root = document.getElementById('phone');
const t = strings();
const versions = new Versions();
const state = {
  phase: root.dataset.phase,
  dots: root.dataset.method === 'dots',
  scale: root.dataset.method === 'scale',
  budget: Number(root.dataset.dots),
  cap: Number(root.dataset.cap),
  ballot: { votes: {}, spent: 0, remaining: null },
  mine: new Set(),
  seed: null,
  table: null,
  tables: [],
  questions: [],
};
const list = document.getElementById('proposal-list');
const template = document.getElementById('proposal-template');
const live = document.getElementById('live-status');

const news = announcer(live, t);
function announce(text) { news.say(text); }
const timer = countdown(document.getElementById('timer'), announce, t);
const schedule = scheduleLine(document.getElementById('schedule-line'), t);
schedule.phase(root.dataset.phase);

// While voting, each person may see the ballot in their own random order; otherwise newest first.
function orderList() {
  const items = [...list.children];
  const id = (item) => Number(item.dataset.proposalId);
  const shuffle = state.phase === 'vote' && state.seed;
  items.sort(shuffle
    ? (a, b) => orderKey(state.seed, id(a)) - orderKey(state.seed, id(b)) || id(a) - id(b)
    : (a, b) => id(b) - id(a));
  if (items.some((item, i) => list.children[i] !== item)) list.append(...items);
}

function setPhase(phase) {
  state.phase = phase;
  root.dataset.phase = phase;
  document.getElementById('phase-name').textContent = t.phases[phase] ?? phase;
  schedule.phase(phase);
  for (const section of root.querySelectorAll('[data-phase-section]')) {
    section.hidden = !section.dataset.phaseSection.split(' ').includes(phase);
  }
  for (const node of root.querySelectorAll('[data-phase-only]')) {
    node.hidden = node.dataset.phaseOnly !== phase
      || node.closest('.moderated, .pending, .merged') !== null;
  }
  orderList();
}

function fillItem(item, p) {
  item.id = `proposal-${p.id}`;
  item.dataset.proposalId = p.id;
  if (p.question_id) item.dataset.questionId = p.question_id;
  const hidden = p.status === 'hidden';
  const merged = p.status === 'merged';
  item.classList.toggle('moderated', hidden);
  item.classList.toggle('merged', merged);
  item.classList.toggle('pending', p.status === 'pending');
  item.classList.toggle('mine', state.mine.has(p.id));
  item.querySelector('.p-content').hidden = hidden || merged;
  fillMerge(item, p, merged);
  item.querySelector('.p-moderated').hidden = !hidden;
  item.querySelector('.p-reason').textContent = p.hidden_reason ?? '';
  if (!hidden && p.title !== undefined) {
    item.querySelector('.p-title').textContent = p.title;
    item.querySelector('.p-title-copy').textContent = p.title;
    item.querySelector('.p-body').textContent = p.body ?? '';
    item.querySelector('.p-focus').textContent = p.focus_area ?? '';
    item.querySelector('.p-question').textContent = questionText(p.question_id) ?? '';
    item.querySelector('.p-table').textContent = tableName(p.table) ?? '';
    item.querySelector('.p-author').textContent = p.author_name ? `— ${p.author_name}` : '';
  }
  item.querySelector('.p-mine').hidden = !state.mine.has(p.id);
  item.querySelector('.p-pending').hidden = p.status !== 'pending';
  item.querySelector('.p-edited').hidden = !p.edit_reason;
  item.querySelector('.p-edit-reason').textContent = p.edit_reason ?? '';
  for (const form of item.querySelectorAll('form')) {
    form.action = form.action.replace(/\/proposals\/\d+\//, `/proposals/${p.id}/`);
  }
  item.querySelector('.vote-controls').hidden = state.phase !== 'vote' || p.status !== 'visible';
}

// A merged proposal points to the one it joined; that one shows the texts merged into it.
function fillMerge(item, p, merged) {
  const line = item.querySelector('.p-merged');
  line.hidden = !merged;
  if (merged) {
    line.querySelector('.p-merged-link').href = `#proposal-${p.merged_into}`;
    line.dataset.into = p.merged_into;
  }
  // Its author still sees which of their proposals it was.
  const own = line.querySelector('.p-own-title');
  own.hidden = !(merged && state.mine.has(p.id) && p.title);
  own.textContent = own.hidden ? '' : `${p.title} · `;
  const from = merged ? [] : (p.merged_from ?? []);
  const box = item.querySelector('.p-provenance');
  box.hidden = from.length === 0;
  box.querySelector('.p-provenance-count').textContent = plural(t.count_merged, from.length + 1);
  box.querySelector('.p-merged-texts').replaceChildren(...from.map((m) => {
    const li = document.createElement('li');
    const title = document.createElement('strong');
    title.textContent = m.title;
    li.append(title, m.body ? ` ${m.body}` : '', m.author_name ? ` — ${m.author_name}` : '');
    return li;
  }));
}

// The title of the proposal a merged one joined (it may arrive after the merged one).
function relinkMerged() {
  for (const line of list.querySelectorAll('.merged .p-merged')) {
    const title = document.querySelector(`#proposal-${line.dataset.into} .p-title`)?.textContent;
    line.querySelector('.p-merged-link').textContent = title || `#${line.dataset.into}`;
  }
}

function upsert(p) {
  let item = document.getElementById(`proposal-${p.id}`);
  const isNew = !item;
  if (isNew) item = template.content.firstElementChild.cloneNode(true);
  fillItem(item, p);
  if (isNew) {
    list.prepend(item);
    if (state.phase === 'vote') orderList();
  }
  updateCounts();
  relinkMerged();
  markWishes();
  return isNew;
}

function updateCounts() {
  const visible = list.querySelectorAll(
    '.proposal:not(.moderated):not(.pending):not(.merged)').length;
  document.getElementById('proposal-count').textContent = visible;
  document.getElementById('no-proposals').hidden = list.children.length > 0;
}

// `ballot` is the server's; the page shows it with the votes still waiting on the phone.
let ballotKnown = false;
function applyBallot(ballot) {
  state.ballot = ballot;
  ballotKnown = true;
  renderBallot(withQueued(ballot));
}

function withQueued(ballot) {
  return ballotWithQueued(ballot, outbox.queued, state);
}

function renderBallot(ballot) {
  const remaining = ballot.remaining;
  for (const item of list.querySelectorAll('.proposal')) {
    const mine = ballot.votes[item.dataset.proposalId] ?? 0;
    // A rating can always be changed; dots and approval votes run out.
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
  const spentNode = document.getElementById('spent');
  if (spentNode) spentNode.textContent = ballot.spent;
}

function questionText(id) {
  return state.questions.find((question) => question.id === id)?.text ?? null;
}

// The question cards to choose from when writing; rebuilt when the facilitator edits them.
function renderQuestions(questions) {
  state.questions = questions;
  const box = document.getElementById('question-cards');
  if (!box) return;
  const checked = box.querySelector('input:checked')?.value;
  const cards = questions.map((question, i) => {
    const div = document.createElement('div');
    div.className = 'radio question-card';
    const input = document.createElement('input');
    Object.assign(input, {
      type: 'radio', name: 'question_id', id: `question_id-${i}`, value: String(question.id),
      required: true, checked: String(question.id) === checked,
    });
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = question.text;
    div.append(input, ' ', label);
    return div;
  });
  box.querySelectorAll('.question-card').forEach((node) => node.remove());
  box.querySelector('legend').after(...cards);
  box.hidden = questions.length === 0;
}

function tableName(number) {
  return state.tables.find((table) => table.number === number)?.name ?? null;
}

function renderTableResults(byTable) {
  const box = document.getElementById('table-results-box');
  const rows = state.table ? byTable?.[String(state.table)] : null;
  if (!box) return;
  box.hidden = !rows;
  if (!rows) return;
  document.getElementById('table-results-name').textContent = tableName(state.table);
  document.getElementById('table-results').replaceChildren(...rows.map((r) => {
    const li = document.createElement('li');
    li.textContent = `${r.rank}. ${r.title}`;
    return li;
  }));
}

// "medel 4,5 · 3 betyg", with the page language's decimal comma.
function scaleSummary(r) {
  const ratings = plural(t.count_ratings, r.ratings ?? 0);
  if (!r.ratings) return ratings;
  const mean = new Intl.NumberFormat(document.documentElement.lang).format(r.mean);
  return `${format(t.mean, { mean })} · ${ratings}`;
}

function renderResults(results) {
  const ol = document.getElementById('results');
  ol.replaceChildren(...results.map((r) => {
    const li = document.createElement('li');
    const rank = document.createElement('span');
    rank.className = 'rank';
    rank.textContent = `${r.rank}.`;
    const title = document.createElement('span');
    title.className = 'r-title';
    title.textContent = ` ${r.title} `;
    const count = document.createElement('span');
    count.className = 'r-count';
    const people = plural(t.count_people, r.votes);
    if (state.scale) count.textContent = scaleSummary(r);
    else count.textContent = state.dots ? `${plural(t.count_dots, r.dots)}, ${people}` : people;
    li.append(rank, title, count);
    return li;
  }));
}

// The status line shows every change; a screen reader hears only the ones that last (a
// reconnect that takes under two seconds is not worth interrupting anyone for).
let heardStatus = 'connected';
let statusTimer = null;
const socket = connect(Number(root.dataset.eventId), (status, message) => {
  setStatus(document.getElementById('connection'), t[status] ?? message, status);
  clearTimeout(statusTimer);
  statusTimer = setTimeout(() => {
    if (status === heardStatus) return;
    heardStatus = status;
    announce(status === 'connected' ? t.back_online : t[status] ?? message);
  }, status === 'reconnecting' ? 2000 : 0);
});

const outbox = new Outbox(`participation:outbox:${root.dataset.eventId}`, {
  transmit: (name, payload) => send(socket, name, payload, { attempts: 1 }),
  ready: () => socket.connected,
  settled: settleQueued,
  changed: renderOutbox,
});
let everConnected = false;
socket.on('connect', () => { everConnected = true; outbox.drain(); });

// Once the socket has worked, a write never falls back to a plain form post: offline, that post
// would end on the browser's error page. Before it has ever connected (a proxy that blocks
// WebSockets, say), the plain forms still work, as they do without JavaScript.
function queueable() {
  if (socket.refused) return false; // refused for good: the plain forms say why
  return socket.connected || everConnected || outbox.items.length > 0 || navigator.onLine === false;
}

// The personal "follow my proposals" link appears after the first proposal.
function showFollowLink(url) {
  const link = document.getElementById('follow-link');
  if (!link) return;
  link.href = url;
  link.textContent = url;
  document.getElementById('follow-box').hidden = false;
}

function applySnapshot(s) {
  state.mine = new Set(s.me?.proposal_ids ?? []);
  state.seed = s.me?.seed ?? null;
  state.table = s.me?.table ?? null;
  state.tables = s.event.tables ?? [];
  if (versions.accept('questions', s.version)) renderQuestions(s.event.questions ?? []);
  if (versions.accept('schedule', s.version)) schedule.set(s.event.opens_at, s.event.closes_at);
  for (const p of [...s.proposals].sort((a, b) => a.id - b.id)) {
    if (versions.accept(`proposal:${p.id}`, s.version, { snapshot: true })) upsert(p);
  }
  if (versions.accept('phase', s.version)) {
    setPhase(s.event.phase);
    if (s.results) renderResults(s.results);
    if (s.table_results) renderTableResults(s.table_results);
  }
  if (s.me && versions.accept('ballot', s.version, { snapshot: true })) applyBallot(s.me.ballot);
  if (s.me?.follow_url) showFollowLink(s.me.follow_url);
  if (versions.accept('timer', s.version)) timer.set(s.event.timer_ends_at, s.server_time);
  versions.settle(s.version);
  root.dataset.synced = s.version; // the page now shows this snapshot (tests wait for it)
}

socket.on('snapshot', applySnapshot);

// Two proposals were merged (or split again): a ballot or an own proposal among them has
// changed on the server (votes carried over, dots given back), so ask for the whole state.
socket.on('merge', async ({ source_id: sourceId, target_id: targetId }) => {
  const ids = [sourceId, targetId];
  const involved = ids.some((id) => state.ballot.votes[id] !== undefined || state.mine.has(id));
  if (!involved) return;
  const ack = await send(socket, 'snapshot', {}, { attempts: 2, timeout: 8000 });
  if (ack.ok) applySnapshot(ack.state);
});

socket.on('proposal', async ({ version, proposal }) => {
  if (!versions.accept(`proposal:${proposal.id}`, version)) return;
  if (proposal.erased) {
    // Its author erased it (and all their votes): it is gone, not hidden by anyone.
    document.getElementById(`proposal-${proposal.id}`)?.remove();
    updateCounts();
    applyBallotAfterRefund(proposal);
    if (state.mine.delete(proposal.id)) {
      const ack = await send(socket, 'snapshot', {}, { attempts: 2, timeout: 8000 });
      if (ack.ok) applySnapshot(ack.state);
    }
    return;
  }
  const isNew = upsert(proposal);
  applyBallotAfterRefund(proposal);
  if (isNew && proposal.status === 'visible') news.proposal();
});

// A hidden proposal's votes go back to the voters; mirror that locally.
function applyBallotAfterRefund(proposal) {
  if (proposal.status !== 'hidden') { applyBallot(state.ballot); return; }
  const votes = { ...state.ballot.votes };
  const returned = votes[proposal.id] ?? 0;
  delete votes[proposal.id];
  // A scale ballot counts rated proposals, not points.
  const spent = state.scale ? Object.keys(votes).length : state.ballot.spent - returned;
  applyBallot({ votes, spent, remaining: state.dots ? state.budget - spent : null });
}

socket.on('tables', ({ version, tables }) => {
  if (versions.accept('tables', version)) state.tables = tables;
});

socket.on('questions', ({ version, questions }) => {
  if (!versions.accept('questions', version)) return;
  renderQuestions(questions);
  for (const item of list.querySelectorAll('.proposal')) {
    const question = item.querySelector('.p-question');
    if (question && item.dataset.questionId) {
      question.textContent = questionText(Number(item.dataset.questionId)) ?? '';
    }
  }
});

socket.on('schedule', ({ version, opens_at: opensAt, closes_at: closesAt }) => {
  if (versions.accept('schedule', version)) schedule.set(opensAt, closesAt);
});

socket.on('timer', ({ version, ends_at: endsAt, server_time: serverTime }) => {
  if (versions.accept('timer', version)) timer.set(endsAt, serverTime);
});

socket.on('phase', ({
  version, phase, results, table_results: tableResults, by,
}) => {
  // A new phase ends the previous phase's countdown; a re-sent same phase does not.
  if (phase !== state.phase && versions.accept('timer', version)) timer.set(null);
  if (!versions.accept('phase', version)) return;
  setPhase(phase);
  if (results) renderResults(results);
  if (results) renderTableResults(tableResults);
  const opened = phase === 'collect' ? t.opened_by_schedule : t.closed_by_schedule;
  const byClock = by === 'schedule' ? opened : null;
  news.phase([byClock, format(t.phase_now, { phase: t.phases[phase] ?? phase })].filter(Boolean).join(' '));
});

function showFieldError(form, field, message) {
  const input = field ? form.querySelector(`[name="${field}"]`) : null;
  const status = form.querySelector('.form-status');
  if (!input) { if (status) status.textContent = message; return; }
  const wrapper = input.closest('.field');
  wrapper.classList.add('has-error');
  input.setAttribute('aria-invalid', 'true');
  let error = wrapper.querySelector('.error');
  if (!error) {
    error = document.createElement('p');
    error.className = 'error';
    error.id = `${input.id}-error`;
    wrapper.append(error);
    input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') ?? ''} ${error.id}`.trim());
  }
  error.textContent = message;
  input.focus();
}

function clearErrors(form) {
  for (const wrapper of form.querySelectorAll('.has-error')) {
    wrapper.classList.remove('has-error');
    wrapper.querySelector('[aria-invalid]')?.removeAttribute('aria-invalid');
    wrapper.querySelector('.error')?.remove();
  }
}

const proposalForm = document.getElementById('proposal-form');

// Proposals this phone chose to support instead of writing its own (kept in the browser only:
// a vote is cast when voting opens, by the resident, like any other).
const wishKey = `participation:support-instead:${root.dataset.eventId}`;
function wishes() {
  try { return new Set(JSON.parse(localStorage.getItem(wishKey) ?? '[]')); } catch { return new Set(); }
}
function markWishes() {
  const chosen = wishes();
  for (const item of list.querySelectorAll('.proposal')) {
    const badge = item.querySelector('.p-wished');
    if (!badge) continue;
    badge.hidden = !chosen.has(Number(item.dataset.proposalId));
    badge.textContent = badge.hidden ? '' : t.wished;
  }
}
function supportInstead(id) {
  const chosen = wishes();
  chosen.add(id);
  try { localStorage.setItem(wishKey, JSON.stringify([...chosen])); } catch { /* private mode */ }
  proposalForm.reset();
  proposalForm.querySelector('[name="client_id"]').value = newClientId();
  document.getElementById('similar-box').hidden = true;
  markWishes();
  const target = document.getElementById(`proposal-${id}`);
  target?.scrollIntoView({ block: 'center' });
  target?.querySelector('.p-wished')?.focus?.();
}

// While a resident types, show the most similar proposals already on the wall.
let similarTimer = null;
let similarAsked = 0;
async function showSimilar() {
  if (!socket.connected) return;
  const asked = ++similarAsked;
  const ack = await send(socket, 'similar', {
    title: proposalForm.querySelector('[name="title"]').value,
    body: proposalForm.querySelector('[name="body"]').value,
  }, { attempts: 1, timeout: 4000 });
  if (asked !== similarAsked || !ack.ok) return; // a newer keystroke has asked again
  const box = document.getElementById('similar-box');
  box.hidden = ack.matches.length === 0;
  document.getElementById('similar-list').replaceChildren(...ack.matches.map((match) => {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = `#proposal-${match.id}`;
    link.textContent = match.title;
    const instead = document.createElement('button');
    instead.type = 'button';
    instead.className = 'secondary support-instead';
    instead.textContent = t.support_instead;
    instead.addEventListener('click', () => supportInstead(match.id));
    li.append(link, ' ', instead);
    return li;
  }));
}
proposalForm.addEventListener('input', () => {
  clearTimeout(similarTimer);
  similarTimer = setTimeout(showSimilar, 400);
});
function resetProposalForm() {
  proposalForm.reset();
  document.getElementById('similar-box').hidden = true;
  proposalForm.querySelector('[name="client_id"]').value = newClientId();
}

function proposalSent(ack) {
  state.mine.add(ack.proposal.id);
  if (ack.follow_url) showFollowLink(ack.follow_url);
  versions.accept(`proposal:${ack.proposal.id}`, ack.version);
  upsert(ack.proposal);
  return ack.proposal.status === 'pending' ? t.sent_pending : t.sent;
}

function ballotSent(ack) {
  // An older answer (a replay, or one overtaken by a snapshot) changes nothing, but the queued
  // write it answers is gone from the outbox, so the ballot is drawn again either way.
  applyBallot(versions.accept('ballot', ack.version) ? ack.ballot : state.ballot);
}

// Offline, the checks the server would make first, so the resident can fix them now.
function draftProblem(payload) {
  if (!payload.title?.trim()) return ['title', t.required];
  const cards = document.getElementById('question-cards');
  if (cards && !cards.hidden && !payload.question_id) return ['question_id', t.choose_question];
  return null;
}

proposalForm.addEventListener('submit', async (event) => {
  if (!queueable()) return; // the plain form post
  event.preventDefault();
  clearErrors(proposalForm);
  const data = new FormData(proposalForm);
  const payload = {
    title: data.get('title'),
    body: data.get('body'),
    focus_area_id: data.get('focus_area_id') ? Number(data.get('focus_area_id')) : null,
    question_id: data.get('question_id') ? Number(data.get('question_id')) : null,
    client_id: data.get('client_id'),
  };
  const problem = socket.connected ? null : draftProblem(payload);
  if (problem) { showFieldError(proposalForm, ...problem); return; }
  const button = proposalForm.querySelector('button[type="submit"]');
  const status = proposalForm.querySelector('.form-status');
  button.disabled = true;
  const ack = await outbox.add('submit_proposal', payload,
    { kind: 'proposal', title: payload.title.trim(), body: payload.body ?? '' });
  button.disabled = false;
  // Disabling the focused button dropped the focus to the page: give it back.
  if (document.activeElement === document.body) button.focus();
  if (ack.queued) { resetProposalForm(); status.textContent = t.outbox_saved; return; }
  if (!ack.ok) { showFieldError(proposalForm, ack.field, ack.message ?? t.error); return; }
  status.textContent = proposalSent(ack);
  resetProposalForm();
});

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
    if (payload.score === null && !socket.connected) { announce(t.choose_score); return; }
  } else if (name === 'vote') payload.dots = 1;
  const button = form.querySelector('button');
  button.disabled = true;
  const ack = await outbox.add(name, payload, {
    kind: name === 'vote' ? 'vote' : 'withdraw',
    title: item.querySelector('.p-title').textContent,
    score: payload.score ?? null,
  });
  button.disabled = false;
  if (ack.queued || ack.ok) {
    if (ack.ok) ballotSent(ack);
    else announce(t.outbox_saved);
    (item.querySelector('.withdraw-form:not([hidden]) button')
      ?? item.querySelector('.vote-form:not([hidden]) button'))?.focus();
  } else {
    announce(ack.message ?? t.error);
  }
});

// --- the outbox on screen: what waits on the phone, and what the server refused afterwards ---

const refusals = [];
let justRefused = false;
let hadQueued = outbox.queued.length > 0;

function describe(item) { return describeWrite(item, t); }

function renderOutbox() {
  const queued = outbox.queued;
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
  if (ballotKnown) renderBallot(withQueued(state.ballot));
  // A refusal speaks for itself (role=alert); otherwise say once that the queue has gone.
  if (hadQueued && queued.length === 0 && !justRefused) announce(t.outbox_all_sent);
  hadQueued = queued.length > 0;
  justRefused = false;
}

// The answer to a write that had waited on the phone; the resident has moved on meanwhile.
function settleQueued(item, ack) {
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

document.getElementById('outbox-dismiss').addEventListener('click', () => {
  refusals.length = 0;
  renderOutbox();
});

renderOutbox();
markWishes();
