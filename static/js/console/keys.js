// Keyboard shortcuts for the queue, listed on the page (#shortcuts) and switched off with its
// checkbox (remembered in this browser). Single letters never fire while typing in a field, with
// a modifier held, or while a dialog is open. j/k move between rows, n goes to the next proposal
// waiting for approval, a approves, h opens the hide reasons, r shows a hidden one again, m opens
// "More", u undoes the last hide. Escape closes a row's open panel. The chosen row has the focus.
const STORE = 'participation:console-keys';
const FOCUSABLE = '.pop-panel button, .pop-panel input:not([type="hidden"]), .pop-panel select';

export function createKeys({ table, actions, say, t }) {
  const box = document.getElementById('shortcuts');
  const toggle = document.getElementById('shortcuts-on');
  box.hidden = false;
  try { toggle.checked = window.localStorage.getItem(STORE) !== 'off'; } catch { /* private */ }
  toggle.addEventListener('change', () => {
    try { window.localStorage.setItem(STORE, toggle.checked ? 'on' : 'off'); } catch { /* ok */ }
  });

  const rows = () => [...table.querySelectorAll('tr[data-proposal-id]')];

  function current() {
    const focused = document.activeElement?.closest?.('tr[data-proposal-id]');
    if (focused && table.contains(focused)) return focused;
    const id = table.dataset.current;
    return id ? document.getElementById(`row-${id}`) : null;
  }

  function choose(row) {
    if (!row) return;
    for (const open of table.querySelectorAll('details.pop[open]')) open.open = false;
    for (const other of table.querySelectorAll('tr.is-current')) other.classList.remove('is-current');
    row.classList.add('is-current');
    table.dataset.current = row.dataset.proposalId;
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: 'nearest' });
  }

  function step(by) {
    const all = rows();
    const at = all.indexOf(current());
    if (at < 0) { choose(by > 0 ? all[0] : all.at(-1)); return; }
    choose(all[Math.min(all.length - 1, Math.max(0, at + by))]);
  }

  function nextWaiting() {
    const all = rows();
    const at = all.indexOf(current());
    const order = [...all.slice(at + 1), ...all.slice(0, at + 1)];
    const waiting = order.find((row) => row.dataset.status === 'pending');
    if (waiting) choose(waiting);
    else say(t.noneWaiting);
  }

  function openPanel(row, selector) {
    const panel = row.querySelector(selector);
    if (!panel) return false;
    // The panel's content can take the focus once it is shown, after the toggle.
    const first = () => panel.querySelector(FOCUSABLE)?.focus();
    if (panel.open) first();
    else {
      panel.addEventListener('toggle', first, { once: true });
      panel.open = true;
    }
    return true;
  }

  function press(row, selector) {
    const button = row.querySelector(selector);
    if (!button) return false;
    button.click();
    return true;
  }

  const ACTIONS = {
    a: (row) => press(row, '.approve-form button'),
    h: (row) => openPanel(row, '.hide-box'),
    r: (row) => press(row, '.restore-form button'),
    m: (row) => openPanel(row, '.more-box'),
  };

  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    if (event.key === 'Escape') {
      const open = document.activeElement?.closest?.('details.pop[open]')
        ?? table.querySelector('details.pop[open]');
      if (open) {
        open.open = false;
        open.querySelector('summary').focus();
        event.preventDefault();
      }
      return;
    }
    if (!toggle.checked || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest?.('input, textarea, select, [contenteditable]:not([contenteditable="false"])')) return;
    if (document.querySelector('dialog[open]')) return;
    const key = event.key.toLowerCase();
    if (key === 'j') step(1);
    else if (key === 'k') step(-1);
    else if (key === 'n') nextWaiting();
    else if (key === 'u') actions.undo();
    else if (ACTIONS[key]) {
      const row = current();
      if (!row) say(t.chooseRow, 'error');
      else if (!ACTIONS[key](row)) say(t.notHere, 'error');
    } else return;
    event.preventDefault();
  });
}
