// The facilitator's console: live counts, tallies and new proposals next to the plain forms.
import { Versions, connect, csrfToken, setStatus, strings } from './live.js';

const root = document.getElementById('console');
const t = strings();
const versions = new Versions();
const dots = root.dataset.method === 'dots';
const tbody = document.querySelector('#console-proposals tbody');
const status = document.getElementById('console-status');

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function addRow(p) {
  if (document.getElementById(`row-${p.id}`)) return;
  const tr = document.createElement('tr');
  tr.id = `row-${p.id}`;
  tr.dataset.proposalId = p.id;
  const title = cell('');
  const strong = document.createElement('strong');
  strong.textContent = p.title;
  title.append(strong);
  const tally = cell('–');
  tally.className = 'tally';
  // A fresh row gets its moderation form by copying an existing one, or a reload link.
  const moderation = document.createElement('td');
  const existing = tbody.querySelector('.hide-form');
  if (existing) {
    const form = existing.cloneNode(true);
    form.action = form.action.replace(/\/proposals\/\d+\/hide/, `/proposals/${p.id}/hide`);
    form.querySelector('[name="csrf_token"]').value = csrfToken();
    const input = form.querySelector('input[name="reason"]');
    const label = form.querySelector('label');
    input.id = `reason-${p.id}`;
    input.value = '';
    label.htmlFor = input.id;
    label.textContent = p.title;
    moderation.append(form);
  }
  tr.append(cell(String(p.id)), title, tally, moderation);
  tbody.append(tr);
}

const socket = connect(Number(root.dataset.eventId), (state) => setStatus(status, t[state], state));

function applyTallies(tallies) {
  for (const tr of tbody.querySelectorAll('tr[data-proposal-id]')) {
    const tally = tallies[tr.dataset.proposalId];
    const td = tr.querySelector('.tally');
    td.textContent = tally ? (dots ? `${tally.votes} / ${tally.dots} ${t.dots}` : `${tally.votes}`) : '–';
  }
}

socket.on('snapshot', (s) => {
  versions.reset(s.version);
  for (const p of s.proposals) if (p.status === 'visible') addRow(p);
  applyTallies(s.tallies ?? {});
  document.getElementById('connected').textContent = s.connected ?? 0;
  document.getElementById('voters').textContent = s.voters ?? 0;
});

socket.on('proposal', ({ version, proposal }) => {
  if (!versions.accept(`proposal:${proposal.id}`, version)) return;
  if (proposal.status === 'visible') addRow(proposal);
});

socket.on('tallies', ({ version, tallies, voters }) => {
  if (!versions.accept('tallies', version)) return;
  applyTallies(tallies);
  document.getElementById('voters').textContent = voters;
});

socket.on('presence', ({ connected }) => {
  document.getElementById('connected').textContent = connected;
});

socket.on('phase', ({ version, phase }) => {
  if (!versions.accept('phase', version)) return;
  const current = root.querySelector('.phases [aria-current]');
  if (current?.dataset.phase !== phase) window.location.reload();
});
