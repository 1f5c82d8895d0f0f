// What the phone knows, all of it as the server last said it: the phase, the person's ballot
// and own proposals, their seat, the event's tables and questions. Each piece is guarded by
// `versions` (live.js), so a push that arrives late never rolls the page back. Kept in one
// object that every other phone module reads, so there is one truth and no private copies.
import { Versions, format, strings } from '../live.js';

export const root = document.getElementById('phone');
export const list = document.getElementById('proposal-list');
export const t = strings();
export const versions = new Versions();

export const state = {
  phase: root.dataset.phase,
  // The event's voting method and limits, as the server rendered them into the page.
  dots: root.dataset.method === 'dots',
  scale: root.dataset.method === 'scale',
  budget: Number(root.dataset.dots),
  cap: Number(root.dataset.cap),
  // The server's ballot ({votes, spent, remaining}); `ballotKnown` once one has arrived.
  ballot: { votes: {}, spent: 0, remaining: null },
  ballotKnown: false,
  mine: new Set(),
  seed: null,
  table: null,
  tables: [],
  questions: [],
  // Whether the snapshot that brings the follow link after a first vote was asked for.
  followAsked: false,
};

// The names the server gave a question or a table, looked up where a proposal only has the id.
export function questionText(id) {
  return state.questions.find((question) => question.id === id)?.text ?? null;
}

// A default name ("Bord 3") is printed in the page's language; a typed name as it was typed.
export function tableName(number) {
  const table = state.tables.find((each) => each.number === number);
  if (!table) return null;
  return table.default_name ? format(t.table_n, { n: table.number }) : table.name;
}

// Whether the server's ballot has votes on this proposal (what a hide or a merge changes).
export function votedOn(id) {
  return state.ballot.votes[id] !== undefined;
}
