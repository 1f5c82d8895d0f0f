// The budget ballot on the projector: how much of the budget the room's funded set fills
// (Equal Shares, computed on the server from the stored ballots: budgets/queries.py), and the
// measures by supporters, the funded ones marked. The page never works out the rule itself.
import { format } from '../live.js';

const kronor = (n) => Number(n).toLocaleString('sv-SE');

export function renderBudget({ p }, box, budget) {
  if (!budget) return;
  const share = budget.budget_sek ? Math.min(1, budget.spent_sek / budget.budget_sek) : 0;
  const fill = box.querySelector('.budget-fill');
  fill.style.inlineSize = `${(share * 100).toFixed(1)}%`;
  box.querySelector('.budget-meter').setAttribute('aria-valuenow', String(Math.round(share * 100)));
  box.querySelector('.budget-figure').textContent = format(p.budget_fill, {
    spent: kronor(budget.spent_sek), total: kronor(budget.budget_sek),
  });
  box.querySelector('.budget-effect').textContent = budget.funded.length ? format(p.budget_effect, {
    low: kronor(Math.round(budget.reduction_low)), high: kronor(Math.round(budget.reduction_high)),
  }) : '';
  const list = box.querySelector('.budget-measures');
  list.replaceChildren(...budget.measures.map((m) => {
    const item = document.createElement('li');
    item.className = m.funded ? 'funded' : '';
    item.dataset.measureId = m.id;
    const title = document.createElement('span');
    title.className = 'bm-title';
    title.textContent = m.title;
    const count = document.createElement('span');
    count.className = 'bm-count';
    count.textContent = format(p.budget_supporters, { num: m.supporters });
    const cost = document.createElement('span');
    cost.className = 'bm-cost';
    cost.textContent = `${kronor(m.cost_sek)} kr${m.funded ? ` · ${p.budget_funded}` : ''}`;
    item.append(title, count, cost);
    return item;
  }));
}
