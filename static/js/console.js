// The facilitator's console: live counts, tallies and new proposals next to the plain forms.
import {
  Versions, connect, csrfToken, format, plural, setStatus, strings,
} from './live.js';

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
  if (p.body) {
    const body = document.createElement('span');
    body.className = 'muted';
    body.textContent = p.body;
    title.append(document.createElement('br'), body);
  }
  const moderation = document.createElement('td');
  const form = document.getElementById('hide-template').content.firstElementChild.cloneNode(true);
  form.action = form.action.replace(/\/proposals\/0\/hide/, `/proposals/${p.id}/hide`);
  form.querySelector('[name="csrf_token"]').value = csrfToken();
  const input = form.querySelector('input[name="reason"]');
  const label = form.querySelector('label');
  input.id = `reason-${p.id}`;
  label.htmlFor = input.id;
  label.textContent = format(t.hide_reason_for, { title: p.title });
  moderation.append(form);
  tr.append(cell(String(p.id)), title, tally, moderation);
  tbody.append(tr);
}

const socket = connect(Number(root.dataset.eventId), (state) => setStatus(status, t[state], state));

function applyTallies(tallies) {
  for (const tr of tbody.querySelectorAll('tr[data-proposal-id]')) {
    const tally = tallies[tr.dataset.proposalId];
    const td = tr.querySelector('.tally');
    td.textContent = tally
      ? (dots ? `${tally.votes} / ${plural(t.count_dots, tally.dots)}` : `${tally.votes}`) : '–';
  }
}

function applyProposal(p) {
  if (p.status === 'visible') { addRow(p); return; }
  const row = document.getElementById(`row-${p.id}`);
  if (!row) return;
  const cellNode = row.lastElementChild;
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.textContent = `${t.hidden_by} ${p.hidden_reason}`;
  cellNode.replaceChildren(badge);
  row.querySelector('.tally').textContent = '–';
}

socket.on('snapshot', (s) => {
  for (const p of s.proposals) {
    if (versions.accept(`proposal:${p.id}`, s.version)) applyProposal(p);
  }
  if (versions.accept('tallies', s.version)) {
    applyTallies(s.tallies ?? {});
    document.getElementById('voters').textContent = s.voters ?? 0;
  }
  versions.settle(s.version);
  document.getElementById('connected').textContent = s.connected ?? 0;
});

socket.on('proposal', ({ version, proposal }) => {
  if (versions.accept(`proposal:${proposal.id}`, version)) applyProposal(proposal);
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
