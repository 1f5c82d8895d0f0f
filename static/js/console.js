// The facilitator's console: live counts and tallies, and the proposal rows refreshed from
// the server whenever a proposal arrives or is moderated (the rows are plain forms), with the
// theme cloud above them; a chosen theme narrows the rows, on the server, as it does without JS.
import {
  Versions, connect, plural, setStatus, strings,
} from './live.js';
import { countdown } from './timer.js';
import { ratingSpread, ratingSummary } from './rating.js';

const root = document.getElementById('console');
const t = strings();
const versions = new Versions();
const dots = root.dataset.method === 'dots';
const scale = root.dataset.method === 'scale';
const table = document.getElementById('console-proposals');
const status = document.getElementById('console-status');
let lastTallies = {};
const timerAnnounce = document.getElementById('timer-announce');
const timer = countdown(document.getElementById('timer'), (text) => {
  timerAnnounce.textContent = text;
}, t);
let refreshWanted = false;
let refreshing = false;
let activeTheme = new URLSearchParams(window.location.search).get('theme') ?? '';

function rowsUrl() {
  const url = new URL(table.dataset.rowsUrl, window.location.href);
  if (activeTheme) url.searchParams.set('theme', activeTheme);
  return url;
}

function applyTallies(tallies) {
  lastTallies = tallies;
  for (const tr of table.querySelectorAll('tr[data-proposal-id]')) {
    const tally = tallies[tr.dataset.proposalId];
    const td = tr.querySelector('.tally');
    if (scale) td.textContent = scaleText(tally);
    else {
      td.textContent = tally
        ? (dots ? `${tally.votes} / ${plural(t.count_dots, tally.dots)}` : `${tally.votes}`) : '–';
    }
  }
}

// Mean, count and every score's count in words: "medel 4,5 · 2 betyg · Betyg: 1: 0 · …".
function scaleText(tally) {
  return [ratingSummary(tally, t), ratingSpread(tally, t)].filter(Boolean).join(' · ');
}

// Never swap the rows under a facilitator who is typing a reason or an edit.
function busy() {
  return table.contains(document.activeElement)
      && document.activeElement.matches('input, textarea, select')
    || table.querySelector('.edit-box[open], .merge-box[open]') !== null;
}

async function refreshRows() {
  if (refreshing) { refreshWanted = true; return; }
  if (busy()) { refreshWanted = true; return; }
  refreshWanted = false;
  refreshing = true;
  try {
    const response = await fetch(rowsUrl(), { credentials: 'same-origin' });
    if (response.ok) {
      const holder = document.createElement('template');
      holder.innerHTML = await response.text();
      table.querySelector('tbody').replaceWith(holder.content.querySelector('tbody'));
      const cloud = document.getElementById('theme-cloud');
      const focused = cloud.contains(document.activeElement)
        ? document.activeElement.dataset.theme ?? 'reset' : null;
      const fresh = holder.content.getElementById('theme-cloud');
      cloud.replaceWith(fresh);
      if (focused) {
        // Keep keyboard users where they were in the cloud.
        (fresh.querySelector(`[data-theme="${CSS.escape(focused)}"]`)
          ?? fresh.querySelector('.theme-reset') ?? fresh.querySelector('h2'))?.focus();
      }
      applyTallies(lastTallies);
    }
  } finally {
    refreshing = false;
  }
  if (refreshWanted) refreshRows();
}

// Choosing a theme (or "show all") re-fetches the rows for it instead of loading the page.
document.addEventListener('click', (event) => {
  const link = event.target.closest('#theme-cloud a.theme, #theme-cloud a.theme-reset');
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  const chosen = link.dataset.theme ?? '';
  activeTheme = chosen === activeTheme ? '' : chosen;
  for (const other of document.querySelectorAll('#theme-cloud a.theme')) {
    if (other.dataset.theme === activeTheme) other.setAttribute('aria-current', 'true');
    else other.removeAttribute('aria-current');
  }
  const url = new URL(window.location.href);
  if (activeTheme) url.searchParams.set('theme', activeTheme);
  else url.searchParams.delete('theme');
  window.history.replaceState(null, '', url);
  refreshRows();
});

table.addEventListener('focusout', () => { if (refreshWanted) setTimeout(refreshRows, 0); });
table.addEventListener('toggle', () => { if (refreshWanted) refreshRows(); }, true);

const socket = connect(Number(root.dataset.eventId), (state, message) => setStatus(status, t[state] ?? message, state));

// A button here posts a plain form and the page navigates to its answer. The push that the
// post causes can arrive first; reloading then would cut off that navigation (and its message).
let leaving = false;
window.addEventListener('submit', (event) => { if (!event.defaultPrevented) leaving = true; });
function reloadStale() { if (!leaving) window.location.reload(); }

socket.on('snapshot', (s) => {
  versions.accept('reveal', s.version);
  versions.accept('themes_display', s.version);
  if (versions.accept('tallies', s.version)) {
    applyTallies(s.tallies ?? {});
    document.getElementById('voters').textContent = s.voters ?? 0;
  }
  const known = new Set([...table.querySelectorAll('tr[data-proposal-id]')]
    .map((tr) => `${tr.dataset.proposalId}:${tr.className}`));
  const changed = s.proposals.some((p) => !known.has(`${p.id}:status-${p.status}`));
  for (const p of s.proposals) versions.accept(`proposal:${p.id}`, s.version);
  if (versions.accept('timer', s.version)) timer.set(s.event.timer_ends_at, s.server_time);
  // A phase changed while this console was away: the page's controls are stale.
  if (versions.accept('phase', s.version)) {
    const current = root.querySelector('.phases [aria-current]');
    if (current?.dataset.phase !== s.event.phase) { reloadStale(); return; }
  }
  versions.settle(s.version);
  document.getElementById('connected').textContent = s.connected ?? 0;
  if (changed) refreshRows();
});

socket.on('staff_proposal', ({ version, proposal }) => {
  if (versions.accept(`proposal:${proposal.id}`, version)) refreshRows();
});

// A merge or its undo changes two rows; their staff_proposal pushes refresh them, and this
// catches a console that missed those (e.g. both arrived while a refresh was running).
socket.on('merge', ({ version }) => {
  if (versions.accept('merge', version)) refreshRows();
});

socket.on('tallies', ({ version, tallies, voters }) => {
  if (!versions.accept('tallies', version)) return;
  applyTallies(tallies);
  document.getElementById('voters').textContent = voters;
});

socket.on('reveal', ({ version, revealed }) => {
  // Another staff member toggled the projector's bars: this page's button is stale.
  if (versions.accept('reveal', version) && String(revealed) !== root.dataset.revealed) {
    reloadStale();
  }
});

socket.on('themes_display', ({ version, show }) => {
  // Another staff member toggled the projector's theme cloud: this page's button is stale.
  if (versions.accept('themes_display', version) && String(show) !== root.dataset.showThemes) {
    reloadStale();
  }
});

socket.on('presence', ({ connected }) => {
  document.getElementById('connected').textContent = connected;
});

socket.on('timer', ({ version, ends_at: endsAt, server_time: serverTime }) => {
  if (versions.accept('timer', version)) timer.set(endsAt, serverTime);
});

socket.on('phase', ({ version, phase }) => {
  if (!versions.accept('phase', version)) return;
  const current = root.querySelector('.phases [aria-current]');
  if (current?.dataset.phase !== phase) reloadStale();
});

// A referensgrupp: members accepting their invitations, counted live (numbers only).
socket.on('members', ({ version, counts }) => {
  if (!versions.accept('members', version)) return;
  for (const [id, value] of [['member-count', counts.total], ['members-joined', counts.joined]]) {
    const element = document.getElementById(id);
    if (element) element.textContent = value;
  }
});
