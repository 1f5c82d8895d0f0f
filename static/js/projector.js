// The projector: QR and code, then a live wall, live vote bars, and the ranked result.
import {
  Versions, connect, format, plural, setStatus, strings,
} from './live.js';
import { countdown } from './timer.js';
import { scheduleLine } from './schedule.js';
import { announcer } from './announce.js';
import { ratingSpread, ratingSummary } from './rating.js';

const root = document.getElementById('projector');
const t = strings();
const versions = new Versions();
const dots = root.dataset.method === 'dots';
const scale = root.dataset.method === 'scale';
const state = {
  phase: root.dataset.phase, proposals: new Map(), tallies: {}, results: null, voters: 0,
  hideTallies: false, revealed: false, tables: [], tableResults: null, questions: [],
  showThemes: false, themes: [], scaleMax: null,
};
const clockLine = scheduleLine(document.getElementById('schedule-line'), t);
const wall = document.getElementById('wall');
const bars = document.getElementById('bars');
const ranking = document.getElementById('ranking');
let scheduled = false;
const timerAnnounce = document.getElementById('timer-announce');
const news = announcer(document.getElementById('projector-news'), t);
const timer = countdown(document.getElementById('timer'), (text) => {
  timerAnnounce.textContent = text;
}, t);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function visible() {
  return [...state.proposals.values()].filter((p) => p.status === 'visible');
}

function score(id) {
  const tally = state.tallies[id] ?? { votes: 0, dots: 0 };
  if (scale) return tally.mean ?? 0;
  return dots ? tally.dots : tally.votes;
}

// "Sammanslaget av 2 förslag" under a proposal others were merged into.
function provenance(p) {
  const from = p.merged_from ?? [];
  return from.length ? plural(t.count_merged, from.length + 1) : null;
}

function renderWall() {
  // A merged proposal stays on the wall as a pointer to the one it joined, not silently gone.
  const items = [...state.proposals.values()]
    .filter((p) => p.status === 'visible' || p.status === 'merged')
    .sort((a, b) => b.id - a.id).slice(0, 24);
  wall.replaceChildren(...items.map((p) => {
    if (p.status === 'merged') {
      const li = el('li', 'wall-card merged');
      const into = state.proposals.get(p.merged_into);
      li.append(el('p', 'focus', `${t.merged_with} ${into?.title ?? `#${p.merged_into_number}`}`));
      return li;
    }
    const li = el('li', 'wall-card');
    li.append(el('h3', null, p.title));
    const question = state.questions.find((q) => q.id === p.question_id)?.text;
    const meta = [question, tableName(p.table), p.focus_area, provenance(p)].filter(Boolean).join(' · ');
    if (meta) li.append(el('p', 'focus', meta));
    return li;
  }));
}

// The theme cloud under the wall: five sizes, and the count always in words as well.
function renderThemes() {
  const box = document.getElementById('themes');
  box.hidden = !state.showThemes || state.phase !== 'collect' || state.themes.length === 0;
  if (box.hidden) return;
  const top = state.themes[0].count;
  box.querySelector('ul').replaceChildren(...state.themes.map((theme) => {
    const size = 1 + Math.floor((4 * (theme.count - 1)) / Math.max(top - 1, 1));
    const li = el('li', `theme theme-size-${size}`, `${theme.label} `);
    li.append(el('span', 'theme-count', plural(t.count_proposals, theme.count)));
    return li;
  }));
}

function renderBars() {
  // A scale bar is full at the top of the server's scale (the snapshot's event.voting.max);
  // until the snapshot has said what that is, there are no scale bars to draw.
  if (scale && !state.scaleMax) { bars.replaceChildren(); return; }
  const items = visible().sort((a, b) => score(b.id) - score(a.id) || a.id - b.id).slice(0, 12);
  const max = scale ? state.scaleMax : Math.max(1, ...items.map((p) => score(p.id)));
  bars.replaceChildren(...items.map((p) => {
    const li = el('li', 'bar-row');
    li.dataset.proposalId = p.id;
    const value = score(p.id);
    li.append(el('span', 'bar-label', p.title));
    const track = el('span', 'bar-track');
    const fill = el('span', 'bar-fill');
    fill.style.inlineSize = `${(100 * value) / max}%`;
    track.append(fill);
    if (scale) {
      // The tally in words too, so the bars never rely on length or colour alone.
      const tally = state.tallies[p.id];
      li.append(track, el('span', 'bar-value', ratingSummary(tally, t)));
      li.append(el('span', 'bar-spread', ratingSpread(tally, t)));
    } else li.append(track, el('span', 'bar-value', String(value)));
    return li;
  }));
}

// A default name ("Bord 3") is printed in the page's language; a typed name as it was typed.
function tableName(number) {
  const table = state.tables.find((each) => each.number === number);
  if (!table) return null;
  return table.default_name ? format(t.table_n, { n: table.number }) : table.name;
}

function renderTableWinners() {
  const box = document.getElementById('table-winners');
  const entries = Object.entries(state.tableResults ?? {}).filter(([, rows]) => rows.length);
  box.hidden = entries.length === 0;
  box.querySelector('ul').replaceChildren(...entries.map(([number, rows]) => {
    const li = el('li', null);
    li.append(el('strong', null, `${tableName(Number(number))}: `), rows[0].title);
    return li;
  }));
}

function renderRanking() {
  renderTableWinners();
  const rows = (state.results ?? []).slice(0, 10);
  ranking.replaceChildren(...rows.map((r) => {
    const li = el('li', 'rank-row');
    const title = el('span', 'rank-title', r.title);
    if (provenance(r)) title.append(el('small', 'provenance', ` (${provenance(r)})`));
    li.append(el('span', 'rank', `${r.rank}`), title);
    let value = dots ? plural(t.count_dots, r.dots) : plural(t.count_people, r.votes);
    if (scale) value = ratingSummary(r, t);
    li.append(el('span', 'rank-value', value));
    return li;
  }));
}

function render() {
  scheduled = false;
  const phase = state.phase;
  root.dataset.phase = phase;
  document.getElementById('phase-banner').textContent = t.phases[phase] ?? phase;
  clockLine.phase(phase);
  document.getElementById('phase-hint').textContent = t.hints[phase] ?? '';
  wall.hidden = phase !== 'collect';
  renderThemes();
  const barsHeld = state.hideTallies && !state.revealed;
  bars.hidden = phase !== 'vote' || barsHeld;
  ranking.hidden = !['results', 'closed'].includes(phase);
  if (ranking.hidden) document.getElementById('table-winners').hidden = true;
  const count = document.getElementById('stage-count');
  if (phase === 'collect') { renderWall(); count.textContent = plural(t.count_proposals, visible().length); }
  else if (phase === 'vote') {
    if (!barsHeld) renderBars();
    count.textContent = plural(t.count_voted, state.voters) + (barsHeld ? ` · ${t.bars_held}` : '');
  }
  else if (!ranking.hidden) { renderRanking(); count.textContent = ''; }
  else count.textContent = '';
}

function schedule() {
  if (!scheduled) { scheduled = true; requestAnimationFrame(render); }
}

const socket = connect(Number(root.dataset.eventId), (status, message) => {
  setStatus(document.getElementById('projector-status'), t[status] ?? message, status);
});

socket.on('snapshot', (s) => {
  for (const p of s.proposals) {
    if (versions.accept(`proposal:${p.id}`, s.version)) state.proposals.set(p.id, p);
  }
  if (versions.accept('tallies', s.version)) {
    state.tallies = s.tallies ?? {};
    state.voters = s.voters ?? 0;
  }
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
  document.getElementById('connected').textContent = s.connected ?? 0;
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

socket.on('timer', ({ version, ends_at: endsAt, server_time: serverTime }) => {
  if (versions.accept('timer', version)) timer.set(endsAt, serverTime);
});

socket.on('tables', ({ version, tables }) => {
  if (versions.accept('tables', version)) { state.tables = tables; schedule(); }
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

socket.on('presence', ({ connected }) => {
  document.getElementById('connected').textContent = connected;
});
