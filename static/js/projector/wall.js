// Collecting: the proposals wall (newest first, the newest marked, paged to fit) and the theme
// cloud under it; while the vote bars are held back, the list of what is being voted on.
import { format, plural, writtenIn } from '../live.js';
import {
  el, provenance, tableName, visible,
} from './common.js';
import { paginate } from './fit.js';

function cardContent(ctx, p, newest) {
  const { state, t, p: words } = ctx;
  if (p.status === 'merged') {
    const into = state.proposals.get(p.merged_into);
    return [el('p', 'focus', `${t.merged_with} ${into?.title ?? `#${p.merged_into_number}`}`)];
  }
  const parts = [];
  if (newest) parts.push(el('p', 'newest-badge', words.newest));
  const title = el('h3', null, p.title);
  writtenIn(title, p.lang);
  parts.push(title);
  const question = state.questions.find((q) => q.id === p.question_id)?.text;
  const meta = [question, tableName(state, p.table, t), p.focus_area, provenance(t, p)]
    .filter(Boolean).join(' · ');
  if (meta) parts.push(el('p', 'focus', meta));
  return parts;
}

// Cards are kept by proposal id, so a card fades in when it arrives (or its page comes round),
// not again at every push.
function card(ctx, cards, p, newest) {
  let li = cards.get(p.id);
  if (!li) {
    li = el('li', 'wall-card');
    li.dataset.proposalId = p.id;
    cards.set(p.id, li);
  }
  const signature = JSON.stringify([p.status, p.title, p.table, p.focus_area, p.question_id,
    p.merged_into, (p.merged_from ?? []).length, newest, ctx.state.tables, ctx.state.questions]);
  if (li.dataset.signature !== signature) {
    li.dataset.signature = signature;
    li.classList.toggle('merged', p.status === 'merged');
    li.classList.toggle('newest', newest);
    li.replaceChildren(...cardContent(ctx, p, newest));
  }
  return li;
}

const wallCards = new Map();

// Returns the number of pages the wall needs.
export function renderWall(ctx, wall) {
  // A merged proposal stays on the wall as a pointer to the one it joined, not silently gone.
  const items = [...ctx.state.proposals.values()]
    .filter((p) => p.status === 'visible' || p.status === 'merged')
    .sort((a, b) => b.id - a.id);
  const newestId = Math.max(0, ...visible(ctx.state).map((p) => p.id));
  const wanted = items.map((p) => card(ctx, wallCards, p, p.id === newestId));
  const keep = new Set(wanted);
  for (const [id, li] of wallCards) {
    if (!keep.has(li)) { li.remove(); wallCards.delete(id); }
  }
  // Insert only what moved: a card already in place is not re-inserted (nor animated again).
  wanted.forEach((li, i) => {
    if (wall.children[i] !== li) wall.insertBefore(li, wall.children[i] ?? null);
  });
  return paginate(wall, wanted);
}

// The theme cloud under the wall: five sizes, the count always in words as well. What does not
// fit its band is left out, smallest themes first (the cloud is sorted by count).
export function renderThemes(ctx, box) {
  const { state, t } = ctx;
  box.hidden = !state.showThemes || state.phase !== 'collect' || state.themes.length === 0;
  if (box.hidden) return;
  const top = state.themes[0].count;
  const list = box.querySelector('ul');
  list.replaceChildren(...state.themes.map((theme) => {
    const size = 1 + Math.floor((4 * (theme.count - 1)) / Math.max(top - 1, 1));
    const li = el('li', `theme theme-size-${size}`, `${theme.label} `);
    li.append(el('span', 'theme-count', plural(t.count_proposals, theme.count)));
    return li;
  }));
  const limit = list.getBoundingClientRect().bottom + 0.5;
  for (const li of list.children) li.hidden = li.getBoundingClientRect().bottom > limit;
}

// While the bars are held back: how many have voted, and the proposals on the ballot (paged).
export function renderWaiting(ctx, figure, list) {
  const { state, t } = ctx;
  figure.textContent = plural(t.count_voted, state.voters);
  const items = visible(state).sort((a, b) => a.id - b.id)
    .map((p) => el('li', null, p.title));
  list.replaceChildren(...items);
  return paginate(list, items);
}

export function pageLine(words, page, pages, paused) {
  const line = format(words.page_of, { page: page + 1, pages });
  return paused ? `${line} · ${words.paused}` : line;
}
