// Questions to the panel on the phone (templates/phone/_panel.html): each `panel` push (the
// questions as the public sees them) repaints the list from the page's <template>, in the
// order the person chose. This person's likes and own questions are what the page was painted
// with: liking is a form post, after which the page is painted afresh.
import { newClientId, plural } from '../live.js';
import { socket } from './connection.js';
import { t, versions } from './state.js';

function item(template, question, liked, mine, action) {
  const node = template.content.firstElementChild.cloneNode(true);
  node.id = `panel-question-${question.id}`;
  node.dataset.id = question.id;
  node.classList.add(`status-${question.status}`);
  node.querySelector('.panel-text').textContent = question.text;
  node.querySelector('.panel-likes').textContent = plural(t.count_likes, question.likes);
  node.querySelector('[data-if="mine"]').hidden = !mine;
  node.querySelector('[data-if="answered"]').hidden = question.status !== 'answered';
  const form = node.querySelector('form');
  form.action = `${action}${question.id}/like`;
  form.elements.client_id.value = newClientId();
  form.elements.liked.value = liked ? '0' : '1';
  const button = form.querySelector('button');
  button.setAttribute('aria-pressed', String(liked));
  const label = button.querySelector('.label');
  label.textContent = liked ? label.dataset.liked : label.dataset.like;
  button.querySelector('.visually-hidden').textContent = `: ${question.text}`;
  return node;
}

function paint(section, panel) {
  const list = document.getElementById('panel-list');
  const liked = new Set(JSON.parse(list.dataset.liked));
  const mine = new Set(JSON.parse(list.dataset.mine));
  const now = document.getElementById('panel-now');
  now.hidden = !panel.live;
  document.getElementById('panel-now-text').textContent = panel.live ? panel.live.text : '';
  const questions = panel.questions.filter((q) => q.status !== 'live');
  if (section.dataset.order === 'new') questions.sort((a, b) => b.id - a.id);
  const template = document.getElementById('panel-item');
  // Own questions the public push leaves out (hidden, or waiting for approval) stay as
  // painted, unless the push now lists them (a moderator approved or showed one again).
  const listed = new Set(panel.questions.map((q) => String(q.id)));
  const keep = [...list.querySelectorAll('.own-unlisted')]
    .filter((node) => !listed.has(node.dataset.id));
  const items = questions.map((q) => item(template, q, liked.has(q.id), mine.has(q.id),
    list.dataset.action));
  if (!items.length && !keep.length) {
    items.push(document.getElementById('panel-empty').content.firstElementChild.cloneNode(true));
  }
  list.replaceChildren(...items, ...keep);
}

export function wirePanel() {
  const section = document.getElementById('panel');
  if (!section) return;
  const activityId = Number(section.dataset.activityId);
  socket.on('panel', ({ version, panel }) => {
    if (panel.activity_id === activityId && versions.accept('panel', version)) {
      paint(section, panel);
    }
  });
}
