// The console's proposal rows: fetched again as HTML from the server (the same rows as the
// page) whenever something changed, never drawn here. A refresh keeps the facilitator where they
// were: the focused row (and the button in it), the row chosen with j/k, the duplicates list
// opened or folded; it waits while they type in a row or have a row's panel open.
import { plural } from '../live.js';
import { ratingSpread, ratingSummary } from '../rating.js';

export function createRows({ table, t, method }) {
  const dots = method === 'dots';
  const scale = method === 'scale';
  let lastTallies = {};
  let wanted = false;
  let running = false;
  let duplicatesOpen = null; // the facilitator's own choice, kept across refreshes
  let theme = new URLSearchParams(window.location.search).get('theme') ?? '';
  const listeners = [];

  const rowsOf = () => table.querySelectorAll('tr[data-proposal-id]');

  // As the server writes it (templates/_scale.html): "medel 4,5 · 2 betyg", and under it
  // every score's count, "Betyg: 1: 0 · 2: 1 · …".
  function showScale(cell, tally) {
    const spread = ratingSpread(tally, t);
    const parts = [ratingSummary(tally, t)];
    if (spread) {
      const line = document.createElement('span');
      line.className = 'scale-dist';
      line.textContent = spread;
      parts.push(document.createElement('br'), line);
    }
    cell.replaceChildren(...parts);
  }

  function applyTallies(tallies) {
    lastTallies = tallies;
    for (const tr of rowsOf()) {
      const tally = tallies[tr.dataset.proposalId];
      const cell = tr.querySelector('.tally');
      if (scale) showScale(cell, tally);
      else if (!tally) cell.textContent = '–';
      else cell.textContent = dots ? `${tally.votes} / ${plural(t.count_dots, tally.dots)}` : `${tally.votes}`;
    }
  }

  // Never swap the rows under a facilitator who is typing or has a row's panel open.
  function busy() {
    const active = document.activeElement;
    return (table.contains(active) && active.matches('input, textarea, select'))
      || table.querySelector('details[open]') !== null;
  }

  function url() {
    const address = new URL(table.dataset.rowsUrl, window.location.href);
    if (theme) address.searchParams.set('theme', theme);
    return address;
  }

  // Where the focus is, by row id and the button's data-key, so it can be put back.
  function focusMark() {
    const active = document.activeElement;
    const row = active?.closest?.('tr[data-proposal-id]');
    if (!row || !table.contains(row)) return null;
    return { id: row.dataset.proposalId, key: active === row ? null : active.dataset.key ?? null };
  }

  function restoreFocus(mark) {
    if (!mark) return;
    const row = document.getElementById(`row-${mark.id}`);
    if (!row) { document.getElementById('mod-heading')?.focus(); return; }
    const control = mark.key ? row.querySelector(`[data-key="${mark.key}"]`) : null;
    (control ?? row).focus({ preventScroll: true });
  }

  function swap(holder) {
    const mark = focusMark();
    table.querySelector('tbody').replaceWith(holder.querySelector('tbody'));
    for (const id of ['queue-summary', 'queue-duplicates', 'merge-options']) {
      const fresh = holder.getElementById(id);
      if (fresh) document.getElementById(id)?.replaceWith(fresh);
    }
    const box = document.querySelector('#queue-duplicates details');
    if (box && duplicatesOpen !== null) box.open = duplicatesOpen;
    const cloud = document.getElementById('theme-cloud');
    const inCloud = cloud?.contains(document.activeElement)
      ? document.activeElement.dataset.theme ?? 'reset' : null;
    const freshCloud = holder.getElementById('theme-cloud');
    if (cloud && freshCloud) {
      cloud.replaceWith(freshCloud);
      if (inCloud) {
        // Keep keyboard users where they were in the cloud.
        (freshCloud.querySelector(`[data-theme="${CSS.escape(inCloud)}"]`)
          ?? freshCloud.querySelector('.theme-reset') ?? freshCloud.querySelector('h2'))?.focus();
      }
    }
    const current = table.dataset.current;
    if (current) document.getElementById(`row-${current}`)?.classList.add('is-current');
    applyTallies(lastTallies);
    restoreFocus(mark);
    for (const listener of listeners) listener();
  }

  async function refresh() {
    if (running || busy()) { wanted = true; return; }
    wanted = false;
    running = true;
    try {
      const response = await fetch(url(), { credentials: 'same-origin' });
      if (response.ok) {
        const holder = document.createElement('template');
        holder.innerHTML = await response.text();
        // The facilitator opened a panel or started typing while this was on its way.
        if (busy()) wanted = true;
        else swap(holder.content);
      }
    } catch {
      wanted = true; // offline for a moment: the next push or reconnect tries again
    } finally {
      running = false;
    }
    if (wanted && !busy()) refresh();
  }

  // A refresh held back while busy runs once the facilitator is done. Not for the focusout a
  // swap itself causes (the focused button leaves with the old rows): that one refresh would
  // find `wanted` set by a push meanwhile and start the next, and so on, a refresh loop.
  table.addEventListener('focusout', () => {
    if (wanted && !running) setTimeout(() => { if (wanted && !running) refresh(); }, 0);
  });
  // A refreshed row's merge list is empty until its panel opens: the one list the refresh
  // brought (#merge-options), without the row's own proposal.
  function fillMergeLists(within) {
    const options = document.getElementById('merge-options')?.content;
    if (!options) return;
    for (const select of within.querySelectorAll('select[data-fill]')) {
      const own = select.dataset.sourceId;
      select.append(...[...options.children].filter((option) => option.value !== own)
        .map((option) => option.cloneNode(true)));
      delete select.dataset.fill;
    }
  }

  table.addEventListener('toggle', (event) => {
    // An opened panel is scrolled into sight (one low in the window would open below it).
    if (event.target.open) {
      fillMergeLists(event.target);
      event.target.querySelector('.pop-panel')?.scrollIntoView({ block: 'nearest' });
    } else if (wanted) refresh();
  }, true);
  // A keyboard or a script may reach the list before the toggle event has run.
  table.addEventListener('focusin', (event) => {
    if (event.target.matches?.('select[data-fill]')) fillMergeLists(event.target.parentElement);
  });
  document.addEventListener('toggle', (event) => {
    if (event.target.matches?.('.duplicates-box')) duplicatesOpen = event.target.open;
  }, true);

  function setTheme(chosen) {
    theme = chosen === theme ? '' : chosen;
    for (const other of document.querySelectorAll('#theme-cloud a.theme')) {
      if (other.dataset.theme === theme) other.setAttribute('aria-current', 'true');
      else other.removeAttribute('aria-current');
    }
    const address = new URL(window.location.href);
    if (theme) address.searchParams.set('theme', theme);
    else address.searchParams.delete('theme');
    window.history.replaceState(null, '', address);
    refresh();
  }

  return {
    refresh, applyTallies, setTheme, rowsOf,
    statuses: () => new Set([...rowsOf()].map((tr) => `${tr.dataset.proposalId}:${tr.dataset.status}`)),
    onSwap: (listener) => listeners.push(listener),
  };
}
