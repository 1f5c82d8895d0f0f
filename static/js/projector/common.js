// What the projector's views share: building nodes, the state's proposals and their scores.
import { format, plural } from '../live.js';

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function visible(state) {
  return [...state.proposals.values()].filter((p) => p.status === 'visible');
}

// A default name ("Bord 3") is printed in the page's language; a typed name as it was typed.
export function tableName(state, number, t) {
  const table = state.tables.find((each) => each.number === number);
  if (!table) return null;
  return table.default_name ? format(t.table_n, { n: table.number }) : table.name;
}

// "Sammanslaget av 2 förslag" under a proposal others were merged into.
export function provenance(t, p) {
  const from = p.merged_from ?? [];
  return from.length ? plural(t.count_merged, from.length + 1) : null;
}

// A proposal's live score: the mean rating (scale), dots, or people.
export function score(state, id) {
  const tally = state.tallies[id] ?? { votes: 0, dots: 0 };
  if (state.method === 'scale') return tally.mean ?? 0;
  return state.method === 'dots' ? tally.dots : tally.votes;
}

// A result row's score, for "did anyone vote for it at all".
export function resultScore(state, row) {
  if (state.method === 'scale') return row.ratings ?? 0;
  return state.method === 'dots' ? row.dots ?? 0 : row.votes ?? 0;
}
