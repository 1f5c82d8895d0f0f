// The proposal list: one item per proposal the server has sent, drawn from its status
// (visible, pending, hidden, merged) and cloned from the page's #proposal-template, so the
// live list and the server-rendered one are the same markup.
import { plural, writtenIn } from '../live.js';
import { orderKey } from '../order.js';
import {
  list, questionText, state, t, tableName,
} from './state.js';
import { markWishes } from './wishes.js';

const template = document.getElementById('proposal-template');

// While voting, each person may see the ballot in their own random order; otherwise newest first.
// The order is the server's (participation/proposals/order.py), from the seed it sends.
export function orderList() {
  const items = [...list.children];
  const id = (item) => Number(item.dataset.proposalId);
  const shuffle = state.phase === 'vote' && state.seed;
  items.sort(shuffle
    ? (a, b) => orderKey(state.seed, id(a)) - orderKey(state.seed, id(b)) || id(a) - id(b)
    : (a, b) => id(b) - id(a));
  if (items.some((item, i) => list.children[i] !== item)) list.append(...items);
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
    for (const copy of item.querySelectorAll('.p-title-copy')) copy.textContent = p.title;
    item.querySelector('.p-body').textContent = p.body ?? '';
    for (const text of item.querySelectorAll('.p-title, .p-body')) writtenIn(text, p.lang);
    item.querySelector('.p-focus').textContent = p.focus_area ?? '';
    item.querySelector('.p-question').textContent = questionText(p.question_id) ?? '';
    item.querySelector('.p-table').textContent = tableName(p.table) ?? '';
    // A paper note or the table's scribe: the proposal is the table's, and says so.
    const source = item.querySelector('.p-source');
    source.textContent = t.sources?.[p.source] ?? '';
    source.hidden = !source.textContent;
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
    line.dataset.intoNumber = p.merged_into_number;
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
    line.querySelector('.p-merged-link').textContent = title || `#${line.dataset.intoNumber}`;
  }
}

// Draw a proposal as the server sent it; true if it was not on the list before.
export function upsert(p) {
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

// An erased proposal is gone, not hidden by anyone: it leaves the list.
export function remove(id) {
  document.getElementById(`proposal-${id}`)?.remove();
  updateCounts();
}

function updateCounts() {
  const visible = list.querySelectorAll(
    '.proposal:not(.moderated):not(.pending):not(.merged)').length;
  document.getElementById('proposal-count').textContent = visible;
  document.getElementById('no-proposals').hidden = list.children.length > 0;
}

// The facilitator edited the questions: each proposal shows its question's new text.
export function relabelQuestions() {
  for (const item of list.querySelectorAll('.proposal')) {
    const question = item.querySelector('.p-question');
    if (question && item.dataset.questionId) {
      question.textContent = questionText(Number(item.dataset.questionId)) ?? '';
    }
  }
}
