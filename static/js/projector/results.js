// Results: the ranking (as many as fit, ties never cut, "and M more") on one slide and the best
// at each table on its own slide.
import { format, plural, writtenIn } from '../live.js';
import { ratingSummary } from '../rating.js';
import {
  el, provenance, resultScore, tableName,
} from './common.js';
import { overflows } from './fit.js';
import { cutToFit } from './tallies.js';

function valueText(ctx, r) {
  const { state, t } = ctx;
  if (state.method === 'scale') return ratingSummary(r, t);
  return state.method === 'dots' ? plural(t.count_dots, r.dots) : plural(t.count_people, r.votes);
}

export function renderRanking(ctx, list, more) {
  const { state, t, p: words } = ctx;
  const results = state.results ?? [];
  const rows = results.map((r) => {
    const li = el('li', 'rank-row');
    li.dataset.proposalId = r.id;
    li.dataset.rank = r.rank;
    const title = el('span', 'rank-title', r.title);
    writtenIn(title, r.lang);
    const merged = provenance(t, r);
    if (merged) title.append(el('small', 'provenance', ` (${merged})`));
    li.append(el('span', 'rank', `${r.rank}`), title, el('span', 'rank-value', valueText(ctx, r)));
    return li;
  });
  cutToFit(list, more, rows, results.map((r) => r.rank), words, (shown) => {
    if (shown > 0) return format(words.more, { num: rows.length - shown });
    if (!resultScore(state, results[0])) return words.no_votes;
    return format(words.share_first, { num: results.filter((r) => r.rank === 1).length });
  });
}

// Each table's first place, computed from the whole ranking (each result names its table), so
// a table where several share first place shows them all.
function winners(state) {
  const results = state.results ?? [];
  return state.tables.map((table) => {
    const rows = results.filter((r) => r.table === table.number);
    const best = rows[0];
    return { table, rows: best ? rows.filter((r) => r.rank === best.rank) : [], best };
  }).filter(({ best }) => best);
}

// Returns whether there is anything to show (an event with tables, with results).
export function renderTableWinners(ctx, box) {
  const { state, p: words } = ctx;
  const entries = winners(state);
  const list = box.querySelector('ul');
  const build = (compact) => entries.map(({ table, rows, best }) => {
    const li = el('li', null);
    li.append(el('strong', 'winner-table', `${tableName(state, table.number, ctx.t) ?? table.number}: `));
    if (!resultScore(state, best)) li.append(el('span', 'winner-none', words.table_no_votes));
    else if (compact && rows.length > 2) {
      li.append(el('span', 'winner-title', format(words.share_first, { num: rows.length })));
    } else {
      for (const r of rows) {
        const title = el('span', 'winner-title', r.title);
        writtenIn(title, r.lang);
        li.append(title);
      }
      li.append(el('span', 'winner-value', valueText(ctx, best)));
    }
    return li;
  });
  list.classList.remove('dense');
  list.replaceChildren(...build(false));
  // Many shared first places at several tables: the count instead of every title; long titles
  // at every table: the smallest size.
  if (!box.hidden && overflows(list)) list.replaceChildren(...build(true));
  if (!box.hidden && overflows(list)) list.classList.add('dense');
  return entries.length > 0;
}
