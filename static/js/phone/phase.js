// What changes with the phase: which sections show, and the results once they are out. The
// ranking is the server's (`results`, `table_results`, with their ranks); it is drawn as sent.
import { plural, writtenIn } from '../live.js';
import { ratingSummary } from '../rating.js';
import {
  root, state, t, tableName,
} from './state.js';
import { schedule } from './clock.js';
import { orderList } from './proposals.js';

export function setPhase(phase) {
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

export function renderResults(results) {
  const ol = document.getElementById('results');
  ol.replaceChildren(...results.map((r) => {
    const li = document.createElement('li');
    const rank = document.createElement('span');
    rank.className = 'rank';
    rank.textContent = `${r.rank}.`;
    const title = document.createElement('span');
    title.className = 'r-title';
    title.textContent = ` ${r.title} `;
    writtenIn(title, r.lang);
    const count = document.createElement('span');
    count.className = 'r-count';
    const people = plural(t.count_people, r.votes);
    if (state.scale) count.textContent = ratingSummary(r, t);
    else count.textContent = state.dots ? `${plural(t.count_dots, r.dots)}, ${people}` : people;
    li.append(rank, title, count);
    return li;
  }));
}

// The person's own table's best proposals, above everyone's, when the event has tables.
export function renderTableResults(byTable) {
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
