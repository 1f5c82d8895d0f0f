// The facilitator's console: the live queue of proposals and the controls above it. The page is
// plain forms; this module keeps it live and does its buttons without page loads:
//   console/rows.js    the rows, fetched again from the server whenever something changed
//   console/actions.js the row buttons as staff commands, with an undo after a hide
//   console/phase.js   phase changes ask first, then set_phase
//   console/keys.js    keyboard shortcuts for the queue
//   console/plan.js    the evening's programme, fetched again when the live activity changed
// Counts, tallies and the countdown come from the socket's pushes; the phase and countdown
// controls are fetched again from the server when the phase, countdown or vote bars change.
import { Versions, connect, format, setStatus, strings } from './live.js';
import { announcer } from './announce.js';
import { countdown } from './timer.js';
import { createRows } from './console/rows.js';
import { createActions } from './console/actions.js';
import { createPhase } from './console/phase.js';
import { createKeys } from './console/keys.js';
import { createPlan } from './console/plan.js';

const root = document.getElementById('console');
const d = root.dataset;
const t = {
  ...strings(),
  approved: d.tApproved, hidden: d.tHidden, restored: d.tRestored, edited: d.tEdited,
  counted: d.tCounted, merged: d.tMerged, unmerged: d.tUnmerged,
  unmergedRecount: d.tUnmergedRecount, undoHide: d.tUndoHide,
  nothingToUndo: d.tNothingToUndo, noneWaiting: d.tNoneWaiting, chooseRow: d.tChooseRow,
  notHere: d.tNotHere,
};
const versions = new Versions();
const table = document.getElementById('console-proposals');
const status = document.getElementById('console-status');
const actionStatus = document.getElementById('action-status');
const news = announcer(actionStatus, t);
const timerAnnounce = document.getElementById('timer-announce');
const timer = countdown(document.getElementById('timer'), (text) => {
  timerAnnounce.textContent = text;
}, t);

// What a button did, for a few seconds (longer while the pointer rests on it).
let quiet = null;
function say(text, tone = 'ok') {
  actionStatus.dataset.tone = tone;
  news.say(text);
  clearTimeout(quiet);
  const clear = () => {
    if (actionStatus.parentElement.matches(':hover, :focus-within')) quiet = setTimeout(clear, 2000);
    else actionStatus.textContent = '';
  };
  quiet = setTimeout(clear, 10000);
}

const rows = createRows({ table, t, method: d.method });
const socket = connect(Number(d.eventId), (state, message) => setStatus(status, t[state] ?? message, state));
const actions = createActions({ root, socket, rows, versions, say, t });
createKeys({ table, actions, say, t });

// The phase and countdown controls, fetched again from the server. A keyboard user who was in
// them goes on from the phase heading, whose next Tab is the phase buttons. Never while the phase
// dialog is open: replacing the head then would take away the form being confirmed and the
// button the dialog gives the focus back to (the focus would fall to nowhere); the dialog's
// close runs the refresh it held back.
const phaseDialog = document.getElementById('phase-dialog');
let headWanted = false;
let headRunning = false;
async function refreshHead() {
  if (headRunning || phaseDialog.open) { headWanted = true; return; }
  headRunning = true;
  headWanted = false;
  try {
    const response = await fetch(d.headUrl, { credentials: 'same-origin' });
    if (phaseDialog.open) {
      headWanted = true; // opened while this was on its way: its close fetches again
    } else if (response.ok) {
      const holder = document.createElement('template');
      holder.innerHTML = await response.text();
      const head = document.getElementById('console-head');
      const active = document.activeElement;
      const hadFocus = !active || active === document.body || head.contains(active);
      head.replaceWith(holder.content.getElementById('console-head'));
      if (hadFocus) document.getElementById('phase-heading').focus();
    }
  } catch {
    // Offline for a moment: the snapshot on reconnect fetches the head again if the phase moved
    // (retrying here at once would spin while the network is gone).
    headWanted = false;
  } finally {
    headRunning = false;
  }
  if (headWanted && !phaseDialog.open) refreshHead();
}
phaseDialog.addEventListener('close', () => { if (headWanted) refreshHead(); });

const shownPhase = () => document.getElementById('console-head').dataset.phase;

function phaseChanged(version, phase) {
  if (!versions.accept('phase', version)) return;
  if (phase === shownPhase()) return;
  // A phase change ends the countdown on the server, without a timer push.
  if (versions.accept('timer', version)) timer.set(null);
  say(format(t.phase_now, { phase: t.phases?.[phase] ?? phase }));
  refreshHead();
}

createPhase({ root, socket, say, t, onChanged: phaseChanged });

// Choosing a theme (or "show all") fetches the rows for it instead of loading the page.
document.addEventListener('click', (event) => {
  const link = event.target.closest('#theme-cloud a.theme, a.theme-reset');
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  rows.setTheme(link.dataset.theme ?? '');
});

// The theme-cloud button says what a press will do: it turns over when the display changes.
function showThemes(show) {
  if (String(show) === d.showThemes) return;
  d.showThemes = String(show);
  const form = document.getElementById('themes-form');
  if (!form) return; // a team moderator's console has no such button
  const button = form.querySelector('button');
  form.elements.show.value = show ? '0' : '1';
  button.textContent = show ? button.dataset.hideLabel : button.dataset.showLabel;
}

socket.on('snapshot', (s) => {
  versions.accept('reveal', s.version);
  if (versions.accept('themes_display', s.version) && 'show_themes' in s.event) {
    showThemes(s.event.show_themes);
  }
  if (versions.accept('tallies', s.version)) {
    rows.applyTallies(s.tallies ?? {});
    document.getElementById('voters').textContent = s.voters ?? 0;
  }
  const known = rows.statuses();
  const changed = s.proposals.some((p) => !known.has(`${p.id}:${p.status}`));
  for (const p of s.proposals) versions.accept(`proposal:${p.id}`, s.version);
  if (versions.accept('timer', s.version)) timer.set(s.event.timer_ends_at, s.server_time);
  // The phase changed while this console was away: its controls are stale.
  if (versions.accept('phase', s.version) && s.event.phase !== shownPhase()) refreshHead();
  versions.settle(s.version);
  document.getElementById('connected').textContent = s.connected ?? 0;
  if (changed) rows.refresh();
});

// The evening's programme (docs/activities.md): questions asked, liked or moderated, answers
// to a poll or the evaluation, words sent or hidden, another activity started.
const plan = createPlan(d.planUrl);
for (const push of ['staff_panel', 'poll', 'evaluation', 'cloud', 'activity']) {
  socket.on(push, ({ version }) => { if (versions.accept(push, version)) plan.refresh(); });
}

socket.on('staff_proposal', ({ version, proposal }) => {
  if (versions.accept(`proposal:${proposal.id}`, version)) rows.refresh();
});

// A merge or its undo changes two rows; their staff_proposal pushes refresh them, and this
// catches a console that missed those (e.g. both arrived while a refresh was running).
socket.on('merge', ({ version }) => {
  if (versions.accept('merge', version)) rows.refresh();
});

socket.on('tallies', ({ version, tallies, voters }) => {
  if (!versions.accept('tallies', version)) return;
  rows.applyTallies(tallies);
  document.getElementById('voters').textContent = voters;
});

socket.on('reveal', ({ version, revealed }) => {
  // The projector's bars were shown or hidden (here or by another staff member).
  if (versions.accept('reveal', version) && String(revealed) !== d.revealed) {
    d.revealed = String(revealed);
    refreshHead();
  }
});

socket.on('themes_display', ({ version, show }) => {
  // The projector's theme cloud was shown or hidden (here or by another staff member).
  if (versions.accept('themes_display', version)) showThemes(show);
});

socket.on('presence', ({ connected }) => {
  document.getElementById('connected').textContent = connected;
});

socket.on('timer', ({ version, ends_at: endsAt, server_time: serverTime }) => {
  if (!versions.accept('timer', version)) return;
  timer.set(endsAt, serverTime);
  refreshHead(); // its stop button comes and goes with the countdown
});

socket.on('phase', ({ version, phase }) => phaseChanged(version, phase));

// A referensgrupp: members accepting their invitations, counted live (numbers only).
socket.on('members', ({ version, counts }) => {
  if (!versions.accept('members', version)) return;
  for (const [id, value] of [['member-count', counts.total], ['members-joined', counts.joined]]) {
    const element = document.getElementById(id);
    if (element) element.textContent = value;
  }
});
