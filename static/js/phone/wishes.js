// Proposals this phone chose to support instead of writing its own (kept in the browser only:
// a vote is cast when voting opens, by the resident, like any other). Marked on the list with
// a badge, so the resident finds them again when voting opens.
import { list, root, t } from './state.js';

const wishKey = `participation:support-instead:${root.dataset.eventId}`;

function wishes() {
  try { return new Set(JSON.parse(localStorage.getItem(wishKey) ?? '[]')); } catch { return new Set(); }
}

export function addWish(id) {
  const chosen = wishes();
  chosen.add(id);
  try { localStorage.setItem(wishKey, JSON.stringify([...chosen])); } catch { /* private mode */ }
  markWishes();
}

export function markWishes() {
  const chosen = wishes();
  for (const item of list.querySelectorAll('.proposal')) {
    const badge = item.querySelector('.p-wished');
    if (!badge) continue;
    badge.hidden = !chosen.has(Number(item.dataset.proposalId));
    badge.textContent = badge.hidden ? '' : t.wished;
  }
}
