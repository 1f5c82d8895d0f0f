// A 1–5 rating tally in words: "medel 4,5 · 3 betyg", and the spread "Betyg: 1: 0 · 2: 1 · …".
// One copy for every page (phone results, projector bars and ranking, console rows), so the
// words and the decimal comma cannot drift apart between screens. The server writes the same
// text in templates/_scale.html (scale_summary, scale_distribution) for the first page load and
// the no-JS page; keep the two in step. `tally` is the server's ({ratings, mean, distribution});
// the mean arrives rounded by the server and is only formatted here, never computed.
import { format, plural } from './live.js';

// The page language's decimal comma ("4,5" in Swedish), like Babel's decimalformat on the server.
let decimal = null;
function formatMean(mean) {
  decimal ??= new Intl.NumberFormat(document.documentElement.lang);
  return decimal.format(mean);
}

// `t` is the page's #client-strings: `mean` ("medel %(mean)s") and `count_ratings` (plural).
export function ratingSummary(tally, t) {
  const ratings = plural(t.count_ratings, tally?.ratings ?? 0);
  if (!tally?.ratings) return ratings;
  return `${format(t.mean, { mean: formatMean(tally.mean) })} · ${ratings}`;
}

// How many gave each score, so a bar or a row never relies on length or colour alone.
export function ratingSpread(tally, t) {
  if (!tally?.ratings) return '';
  const counts = Object.entries(tally.distribution).map(([s, n]) => `${s}: ${n}`).join(' · ');
  return `${t.scores} ${counts}`;
}
