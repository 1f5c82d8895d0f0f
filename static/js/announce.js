// What a screen reader hears on the live pages. In a busy room proposals arrive in bursts: one
// announcement each would flood the listener, so arrivals are counted and said as one sentence
// ("3 nya förslag") once the room has been quiet for a moment, or at the latest after `maxMs`
// of steady arrivals. A phase change is said at once and drops the count: the new phase is the
// news, and what arrived before it is on the page.
import { plural } from './live.js';

export function announcer(region, t, { quietMs = 2500, maxMs = 10000 } = {}) {
  let pending = 0;
  let quiet = null;
  let first = 0;

  function say(text) {
    if (!region || !text) return;
    // The same text twice in a row would be silent: empty the region, then fill it.
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 50);
  }

  function flush() {
    clearTimeout(quiet);
    quiet = null;
    if (pending) say(plural(t.count_new_proposals, pending));
    pending = 0;
  }

  return {
    proposal() {
      const now = Date.now();
      if (!pending) first = now;
      pending += 1;
      clearTimeout(quiet);
      quiet = setTimeout(flush, now - first >= maxMs ? 0 : quietMs);
    },
    phase(text) {
      clearTimeout(quiet);
      quiet = null;
      pending = 0;
      say(text);
    },
    say,
  };
}
