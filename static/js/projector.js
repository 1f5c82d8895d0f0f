// The projector: one screen per phase that never scrolls. The join QR large in the lobby and in
// a corner afterwards (gone once closed); the proposals wall, paged; live vote bars (or, while
// they are held back, how many have voted and what is on the ballot); the ranking and the best
// at each table, as slides. The views are in ./projector/, the rotation in ./projector/pager.js.
import {
  Versions, connect, format, plural, setStatus, strings,
} from './live.js';
import { countdown } from './timer.js';
import { scheduleLine } from './schedule.js';
import { announcer } from './announce.js';
import { pager } from './projector/pager.js';
import { showPage } from './projector/fit.js';
import {
  pageLine, renderThemes, renderWaiting, renderWall,
} from './projector/wall.js';
import { renderBars } from './projector/tallies.js';
import { renderBudget } from './projector/budget.js';
import { renderRanking, renderTableWinners } from './projector/results.js';
import { visible } from './projector/common.js';

const root = document.getElementById('projector');
const t = strings();
const words = JSON.parse(document.getElementById('projector-strings').textContent);
const versions = new Versions();
const state = {
  phase: root.dataset.phase, method: root.dataset.method, proposals: new Map(), tallies: {},
  results: null, voters: 0, hideTallies: false, revealed: false, tables: [],
  tableResults: null, questions: [], showThemes: false, themes: [], scaleMax: null,
  budget: null,
};
const ctx = { state, t, p: words };
const $ = (id) => document.getElementById(id);
const nodes = {
  join: root.querySelector('.join-panel'),
  wall: $('wall'),
  themes: $('themes'),
  waiting: $('vote-waiting'),
  votersFigure: $('voters-figure'),
  ballot: $('ballot-list'),
  tallyBox: $('tally-box'),
  bars: $('bars'),
  barsMore: $('bars-more'),
  rankingSlide: $('ranking-slide'),
  ranking: $('ranking'),
  rankingMore: $('ranking-more'),
  winners: $('table-winners'),
  count: $('stage-count'),
  pageIndicator: $('page-indicator'),
};
const clockLine = scheduleLine($('schedule-line'), t);
const timerAnnounce = $('timer-announce');
const news = announcer($('projector-news'), t);
const timer = countdown($('timer'), (text) => { timerAnnounce.textContent = text; }, t);
let scheduled = false;
let slides = [];
const timerNode = $('timer');
const timerHome = timerNode.nextElementSibling;

// While the bars are held back the countdown stands beside the voter count; elsewhere it is in
// the header line. Moving the node keeps countdown() working on it.
function placeTimer(view) {
  if (view === 'waiting') $('waiting-figures').append(timerNode);
  else if (timerNode.nextElementSibling !== timerHome) timerHome.before(timerNode);
}

function sentence(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : '';
}

function viewOf(phase) {
  if (phase === 'lobby') return 'lobby';
  if (phase === 'collect') return 'wall';
  if (phase === 'vote') return state.hideTallies && !state.revealed ? 'waiting' : 'bars';
  return phase === 'closed' ? 'closed' : 'results';
}

// The paged items of the view shown now (cards, ballot titles or slides).
function pagedItems(view) {
  if (view === 'wall') return [...nodes.wall.children];
  if (view === 'waiting') return [...nodes.ballot.children];
  if (view === 'results' || view === 'closed') return slides;
  return [];
}

function showCurrentPage() {
  const view = root.dataset.view;
  showPage(pagedItems(view), rotation.page);
  const pages = Number(root.dataset.pages);
  nodes.pageIndicator.hidden = pages <= 1;
  nodes.pageIndicator.textContent = pages > 1
    ? pageLine(words, rotation.page, pages, rotation.paused) : '';
}

const rotation = pager(root, showCurrentPage);

function renderResults() {
  // Each slide is measured while it is the one shown, then the rotation picks one.
  nodes.winners.hidden = true;
  nodes.rankingSlide.hidden = false;
  nodes.ranking.hidden = false;
  nodes.rankingSlide.dataset.page = '0';
  renderRanking(ctx, nodes.ranking, nodes.rankingMore);
  slides = [nodes.rankingSlide];
  nodes.rankingSlide.hidden = true;
  nodes.winners.hidden = false;
  if (renderTableWinners(ctx, nodes.winners)) {
    nodes.winners.dataset.page = '1';
    slides.push(nodes.winners);
  }
  nodes.winners.hidden = true;
  return slides.length;
}

function render() {
  scheduled = false;
  const { phase } = state;
  const view = viewOf(phase);
  root.dataset.phase = phase;
  if (root.dataset.view !== view) {
    root.dataset.view = view;
    placeTimer(view);
    rotation.reset();
  }
  $('phase-banner').textContent = t.phases[phase] ?? phase;
  $('phase-hint').textContent = t.hints[phase] ?? '';
  clockLine.phase(phase);
  nodes.join.hidden = phase === 'closed';
  nodes.wall.hidden = view !== 'wall';
  nodes.waiting.hidden = view !== 'waiting';
  // A budget event shows its fill bar where others show vote bars and the ranking.
  const budgetBox = $('budget-box');
  const budgetView = budgetBox && ['bars', 'results', 'closed'].includes(view);
  if (budgetBox) budgetBox.hidden = !budgetView;
  nodes.tallyBox.hidden = view !== 'bars' || budgetView;
  nodes.bars.hidden = view !== 'bars';
  nodes.ranking.hidden = !['results', 'closed'].includes(view);
  if (!['results', 'closed'].includes(view)) {
    nodes.rankingSlide.hidden = true;
    nodes.winners.hidden = true;
  }
  // The theme band first: the wall gets the room it leaves.
  renderThemes(ctx, nodes.themes);
  let pages = 1;
  if (view === 'wall') {
    nodes.count.textContent = plural(t.count_proposals, visible(state).length);
    pages = renderWall(ctx, nodes.wall);
  } else if (view === 'waiting') {
    nodes.count.textContent = sentence(t.bars_held);
    pages = renderWaiting(ctx, nodes.votersFigure, nodes.ballot);
  } else if (budgetView) {
    nodes.count.textContent = state.budget ? plural(t.count_voted, state.budget.voters) : '';
    nodes.rankingSlide.hidden = true;
    nodes.winners.hidden = true;
    renderBudget(ctx, budgetBox, state.budget);
  } else if (view === 'bars') {
    nodes.count.textContent = plural(t.count_voted, state.voters);
    renderBars(ctx, nodes.bars, nodes.barsMore);
  } else if (view === 'results' || view === 'closed') {
    nodes.count.textContent = '';
    pages = renderResults();
  } else nodes.count.textContent = '';
  nodes.count.hidden = !nodes.count.textContent;
  rotation.set(pages);
  showCurrentPage();
}

function schedule() {
  if (!scheduled) { scheduled = true; requestAnimationFrame(render); }
}

// A projector moved to another screen, a window resized, a countdown or a longer line in the
// header: whatever changes the stage's size measures again.
new ResizeObserver(schedule).observe(root.querySelector('.stage'));

const socket = connect(Number(root.dataset.eventId), (status, message) => {
  setStatus($('projector-status'), t[status] ?? message, status);
});

socket.on('snapshot', (s) => {
  for (const p of s.proposals) {
    if (versions.accept(`proposal:${p.id}`, s.version)) state.proposals.set(p.id, p);
  }
  if (versions.accept('tallies', s.version)) {
    state.tallies = s.tallies ?? {};
    state.voters = s.voters ?? 0;
  }
  if (versions.accept('budget', s.version)) state.budget = s.budget ?? null;
  if (versions.accept('themes_display', s.version)) state.showThemes = s.event.show_themes;
  if (versions.accept('themes', s.version)) state.themes = s.themes ?? [];
  if (versions.accept('reveal', s.version)) {
    state.hideTallies = s.event.hide_tallies;
    state.revealed = s.event.tallies_revealed;
  }
  state.tables = s.event.tables ?? [];
  state.scaleMax = s.event.voting?.max ?? null;
  if (versions.accept('questions', s.version)) state.questions = s.event.questions ?? [];
  if (versions.accept('schedule', s.version)) clockLine.set(s.event.opens_at, s.event.closes_at, s.event.voting_opens_at);
  if (versions.accept('phase', s.version)) {
    state.phase = s.event.phase;
    state.results = s.results ?? null;
    state.tableResults = s.table_results ?? null;
  }
  if (versions.accept('timer', s.version)) timer.set(s.event.timer_ends_at, s.server_time);
  versions.settle(s.version);
  $('connected').textContent = s.connected ?? 0;
  root.dataset.synced = 'true';
  schedule();
});

socket.on('proposal', ({ version, proposal }) => {
  if (!versions.accept(`proposal:${proposal.id}`, version)) return;
  if (proposal.status === 'visible' && state.proposals.get(proposal.id)?.status !== 'visible') {
    news.proposal();
  }
  state.proposals.set(proposal.id, proposal);
  schedule();
});

socket.on('tallies', ({ version, tallies, voters }) => {
  if (!versions.accept('tallies', version)) return;
  state.tallies = tallies;
  state.voters = voters;
  schedule();
});

socket.on('budget', ({ version, budget }) => {
  if (!versions.accept('budget', version)) return;
  state.budget = budget;
  schedule();
});

socket.on('timer', ({ version, ends_at: endsAt, server_time: serverTime }) => {
  if (versions.accept('timer', version)) timer.set(endsAt, serverTime);
});

socket.on('tables', ({ version, tables }) => {
  if (versions.accept('tables', version)) { state.tables = tables; schedule(); }
});

// Another activity started (docs/activities.md: a poll, questions, the evaluation): the page
// reloads into its present mode.
socket.on('activity', ({ live }) => {
  if (live && live.kind !== 'proposals') window.location.reload();
});
// Missed while reconnecting: the snapshot says another activity is live.
socket.on('snapshot', (s) => {
  if (s.poll || s.panel || s.evaluation || s.cloud) window.location.reload();
});

socket.on('phase', ({
  version, phase, results, table_results: tableResults,
}) => {
  // A new phase ends the previous phase's countdown; a re-sent same phase does not.
  if (phase !== state.phase && versions.accept('timer', version)) timer.set(null);
  if (!versions.accept('phase', version)) return;
  if (phase !== state.phase) news.phase(format(t.phase_now, { phase: t.phases[phase] ?? phase }));
  state.phase = phase;
  if (results) { state.results = results; state.tableResults = tableResults ?? null; }
  schedule();
});

socket.on('questions', ({ version, questions }) => {
  if (versions.accept('questions', version)) { state.questions = questions; schedule(); }
});

socket.on('schedule', ({
  version, opens_at: opensAt, closes_at: closesAt, voting_opens_at: votingOpensAt,
}) => {
  if (versions.accept('schedule', version)) clockLine.set(opensAt, closesAt, votingOpensAt);
});

socket.on('reveal', ({ version, revealed }) => {
  if (!versions.accept('reveal', version)) return;
  state.revealed = revealed;
  schedule();
});

socket.on('themes', ({ version, themes }) => {
  if (versions.accept('themes', version)) { state.themes = themes; schedule(); }
});

socket.on('themes_display', ({ version, show }) => {
  if (versions.accept('themes_display', version)) { state.showThemes = show; schedule(); }
});

// The facilitator chose another language for the projector: the page is drawn in it anew.
socket.on('languages', ({ projector_language: lang }) => {
  if (lang !== document.documentElement.lang) window.location.reload();
});

socket.on('presence', ({ connected }) => {
  $('connected').textContent = connected;
});
