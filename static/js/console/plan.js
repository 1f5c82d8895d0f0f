// The console's Kvällens program (templates/events/_console_plan.html): fetched again as HTML
// whenever the live activity changed (a question asked or liked, a poll or evaluation answered,
// another activity started), never drawn here. Not while someone types in one of its forms:
// the refresh waits until they leave the field. Open "Lägg till …" panels stay open.
export function createPlan(url) {
  let running = false;
  let wanted = false;

  const section = () => document.getElementById('plan');
  const typing = () => {
    const active = document.activeElement;
    return Boolean(active && section()?.contains(active)
      && ['INPUT', 'TEXTAREA', 'SELECT'].includes(active.tagName) && active.type !== 'submit');
  };

  async function refresh() {
    if (!section()) return;
    if (running || typing()) { wanted = true; return; }
    running = true;
    wanted = false;
    try {
      const response = await fetch(url, { credentials: 'same-origin' });
      if (response.ok && !typing()) {
        const holder = document.createElement('template');
        holder.innerHTML = await response.text();
        const fresh = holder.content.getElementById('plan');
        if (!fresh) return; // not the section (signed out: the login page): keep what is shown
        const old = section();
        const open = [...old.querySelectorAll('details[open]')].map((d) => d.className);
        for (const details of fresh.querySelectorAll('details')) {
          details.open = open.includes(details.className);
        }
        const focused = old.contains(document.activeElement) ? document.activeElement.id : null;
        old.replaceWith(fresh);
        if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
      } else {
        wanted = true;
      }
    } finally {
      running = false;
    }
    if (wanted && !typing()) refresh();
  }

  document.addEventListener('focusout', () => {
    // After the field lost focus: refresh if a change came in meanwhile.
    setTimeout(() => { if (wanted && !typing()) refresh(); }, 0);
  });
  return { refresh };
}
