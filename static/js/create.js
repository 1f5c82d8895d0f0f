// The create form: fields that belong to one kind of event or one voting method show only when
// that kind or method is chosen. Without this script every group shows, labelled with what it
// is for, and the server ignores the ones that do not apply (staff/event_form.py).
const form = document.getElementById('create-form');

function chosen() {
  return {
    kind: form.elements.kind.value,
    method: form.querySelector('input[name="voting_method"]:checked')?.value ?? 'approval',
  };
}

function apply() {
  const { kind, method } = chosen();
  for (const group of form.querySelectorAll('.choice-group')) {
    const forKind = group.dataset.forKind;
    const forMethod = group.dataset.forMethod;
    group.hidden = (forKind !== undefined && forKind !== kind)
      || (forMethod !== undefined && forMethod !== method);
  }
}

if (form) {
  form.addEventListener('change', (event) => {
    if (event.target.name === 'kind' || event.target.name === 'voting_method') apply();
  });
  apply();
}
