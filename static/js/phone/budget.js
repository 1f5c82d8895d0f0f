// The budget ballot (templates/phone/_budget.html): keeps "left of the budget" live as boxes
// are ticked, disables the measures that no longer fit, and saves the whole ballot with the
// socket command budget_ballot (the same operation as the form post, which is what runs
// without JavaScript or before the socket has connected). The server refuses an over-budget
// ballot whole either way; this only spares the resident the round trip.
import { format, send } from '../live.js';
import { socket } from './connection.js';

const kronor = (n) => Math.max(n, 0).toLocaleString('sv-SE');

function newId() {
  return (crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`).replace(/[^A-Za-z0-9_.:-]/g, '');
}

export function wireBudget() {
  const section = document.getElementById('budget');
  const form = document.getElementById('budget-form');
  if (!section || !form) return;
  const budget = Number(section.dataset.budget);
  const boxes = [...form.querySelectorAll('input[name="measure_ids"]')];
  const over = document.getElementById('budget-over');
  const saved = document.getElementById('budget-saved');
  const leftLine = document.getElementById('budget-left-line');

  const redraw = () => {
    const spent = boxes.filter((b) => b.checked).reduce((sum, b) => sum + Number(b.dataset.cost), 0);
    const left = budget - spent;
    for (const id of ['budget-left', 'bar-budget-left']) {
      const node = document.getElementById(id);
      if (node) node.textContent = kronor(left);
    }
    for (const box of boxes) {
      // What does not fit in what is left cannot be ticked; what is ticked can always go.
      box.disabled = !box.checked && Number(box.dataset.cost) > left;
      box.closest('li')?.classList.toggle('does-not-fit', box.disabled);
    }
    leftLine.hidden = left < 0;
    if (left >= 0) over.hidden = true;
    return left;
  };

  form.addEventListener('change', () => { saved.hidden = true; redraw(); });
  form.addEventListener('submit', async (event) => {
    if (!socket.connected) return; // the plain form post does the same write
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    const ack = await send(socket, 'budget_ballot', {
      measure_ids: boxes.filter((b) => b.checked).map((b) => Number(b.value)),
      client_id: newId(),
    });
    button.disabled = false;
    if (ack.ok) {
      saved.hidden = false;
      over.hidden = true;
    } else {
      over.textContent = ack.message ?? ack.error;
      over.hidden = false;
    }
  });
  redraw();
}

// The results of a budget event (the phase push or a snapshot once they are out): the
// measures Equal Shares funded, with what they cost and how many chose them.
export function renderBudgetResults(outcome) {
  const box = document.getElementById('budget-results');
  if (!box || !outcome) return;
  box.querySelector('.budget-summary').textContent = format(box.dataset.summary, {
    spent: kronor(outcome.spent_sek), total: kronor(outcome.budget_sek),
  });
  box.querySelector('.budget-funded').replaceChildren(...outcome.measures.filter((m) => m.funded).map((m) => {
    const item = document.createElement('li');
    const title = document.createElement('span');
    title.className = 'r-title';
    title.textContent = `${m.title} `;
    const count = document.createElement('span');
    count.className = 'r-count';
    count.textContent = `${kronor(m.cost_sek)} kr, ${format(box.dataset.supporters, { num: m.supporters })}`;
    item.append(title, count);
    return item;
  }));
  box.hidden = false;
}
