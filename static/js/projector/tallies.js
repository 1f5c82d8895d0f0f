// Voting: compact live bars, best first, as many as fit, then "and M more". A tie is never
// cut: if the last bar that fits shares its place with the next, the cut moves above them.
import { format, writtenIn } from '../live.js';
import { ratingSpread, ratingSummary } from '../rating.js';
import { el, score, visible } from './common.js';
import { competitionRanks, cutAboveTie, fitCount } from './fit.js';

function barRow(ctx, p, rank, value, max) {
  const { state, t } = ctx;
  const li = el('li', 'bar-row');
  li.dataset.proposalId = p.id;
  li.dataset.rank = rank;
  const label = el('span', 'bar-label', p.title);
  writtenIn(label, p.lang);
  li.append(el('span', 'bar-rank', String(rank)), label);
  const track = el('span', 'bar-track');
  const fill = el('span', 'bar-fill');
  fill.style.inlineSize = `${(100 * value) / max}%`;
  track.append(fill);
  if (state.method === 'scale') {
    // The tally in words too, so the bars never rely on length or colour alone.
    const tally = state.tallies[p.id];
    li.append(track, el('span', 'bar-value', ratingSummary(tally, t)));
    const spread = ratingSpread(tally, t);
    if (spread) li.append(el('span', 'bar-spread', spread));
  } else li.append(track, el('span', 'bar-value', String(value)));
  return li;
}

// Fills `list` with the rows that fit and says what was left out in `more`.
export function cutToFit(list, more, rows, ranks, words, leftOver) {
  list.replaceChildren(...rows);
  // Measured filling the room left by the "more" line, so the rows kept leave room for it;
  // once cut, the list takes only its rows' height and the line follows right under them.
  list.classList.remove('cut');
  more.hidden = false;
  more.textContent = format(words.more, { num: rows.length });
  const shown = cutAboveTie(ranks, fitCount(list, rows));
  for (const row of rows.slice(shown)) row.remove();
  list.dataset.shown = String(shown);
  list.dataset.total = String(rows.length);
  if (shown === rows.length) {
    more.hidden = true;
    more.textContent = '';
  } else more.textContent = leftOver(shown);
  list.classList.add('cut');
  return shown;
}

export function renderBars(ctx, list, more) {
  const { state, p: words } = ctx;
  // A scale bar is full at the top of the server's scale (the snapshot's event.voting.max);
  // until the snapshot has said what that is, there are no scale bars to draw.
  if (state.method === 'scale' && !state.scaleMax) {
    list.replaceChildren();
    more.hidden = true;
    return;
  }
  const items = visible(state)
    .sort((a, b) => score(state, b.id) - score(state, a.id) || a.id - b.id);
  const values = items.map((p) => score(state, p.id));
  const ranks = competitionRanks(values);
  const max = state.method === 'scale' ? state.scaleMax : Math.max(1, ...values);
  const rows = items.map((p, i) => barRow(ctx, p, ranks[i], values[i], max));
  cutToFit(list, more, rows, ranks, words, (shown) => {
    if (shown > 0) return format(words.more, { num: rows.length - shown });
    // Even the first place is shared by more than fit: say so rather than cut the tie.
    if (!values[0]) return words.no_votes;
    return format(words.share_first, { num: ranks.filter((r) => r === 1).length });
  });
}
