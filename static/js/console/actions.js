// The buttons without a page load: a form marked data-command (approve, hide, show again, edit,
// hands, merge, undo a merge; the countdown, the vote bars and the theme cloud on the projector)
// is sent as that Socket.IO staff command, the same operation
// the form posts to. What the server answers is applied: its message on a refusal, and in every
// case the rows fetched again from the server. Without a live socket the form is posted as usual.
// After a hide an undo button shows for a few seconds (and `u`), which shows the proposal again.
import { format, send } from '../live.js';

const NUMBERS = ['source_id', 'target_id', 'count'];
const UNDO_MS = 10000;

// The command's payload: the form's fields (and the pressed button's), ids as numbers.
function payloadOf(form, submitter) {
  const payload = {};
  for (const [name, value] of new FormData(form, submitter)) {
    if (name !== 'csrf_token') payload[name] = value;
  }
  for (const name of NUMBERS) {
    if (name in payload) payload[name] = payload[name] === '' ? null : Number(payload[name]);
  }
  // The head's forms say it as a person would; the commands take seconds and booleans.
  if ('minutes' in payload) {
    payload.seconds = Number(payload.minutes) * 60;
    delete payload.minutes;
  }
  for (const name of ['revealed', 'show']) {
    if (name in payload) payload[name] = payload[name] === '1';
  }
  if (form.dataset.proposalId) payload.proposal_id = Number(form.dataset.proposalId);
  if (form.dataset.mergeId) payload.merge_id = Number(form.dataset.mergeId);
  return payload;
}

export function createActions({ root, socket, rows, versions, say, t }) {
  const undoButton = document.getElementById('undo-button');
  let undoable = null; // {id, title} of the last hidden proposal, while the undo is offered
  let undoTimer = null;

  function titleOf(form, ack) {
    return ack.proposal?.title ?? ack.target?.title
      ?? form?.closest('tr')?.querySelector('.p-title')?.textContent ?? '';
  }

  function said(command, form, ack) {
    const title = titleOf(form, ack);
    switch (command) {
      case 'approve_proposal': return format(t.approved, { title });
      case 'hide_proposal': return format(t.hidden, { title });
      case 'restore_proposal': return format(t.restored, { title });
      case 'edit_proposal': return format(t.edited, { title });
      case 'set_hand_count': return format(t.counted, { title });
      case 'merge_proposals': return t.merged;
      case 'undo_merge': return ack.recount_hands ? t.unmergedRecount : t.unmerged;
      default: return '';
    }
  }

  function hideUndo() {
    clearTimeout(undoTimer);
    undoTimer = null;
    const hadFocus = undoButton === document.activeElement;
    undoButton.hidden = true;
    if (hadFocus && undoable) document.getElementById(`row-${undoable.id}`)?.focus();
    undoable = null;
  }

  function expire() {
    // Never pull the button away from under a pointer or a keyboard focus on it.
    if (undoButton.matches(':hover, :focus')) { undoTimer = setTimeout(expire, 2000); return; }
    hideUndo();
  }

  function offerUndo(proposal) {
    undoable = { id: proposal.id, title: proposal.title };
    undoButton.textContent = format(t.undoHide, { title: proposal.title });
    undoButton.hidden = false;
    clearTimeout(undoTimer);
    undoTimer = setTimeout(expire, UNDO_MS);
  }

  async function run(command, payload, form) {
    const row = form?.closest('tr[data-proposal-id]');
    const buttons = [...(form?.querySelectorAll('button') ?? [])];
    row?.setAttribute('aria-busy', 'true');
    // A disabled button drops the focus: keep it on the row (the refresh puts it back there).
    if (row && form.contains(document.activeElement)) row.focus({ preventScroll: true });
    for (const button of buttons) button.disabled = true; // one press, one command
    const ack = await send(socket, command, payload, { attempts: 2, timeout: 6000 });
    for (const button of buttons) button.disabled = false;
    row?.removeAttribute('aria-busy');
    if (!ack.ok) {
      say(ack.message ?? t.error, 'error');
      rows.refresh(); // show what the server has now
      return ack;
    }
    // The push this write causes carries the same version: the refresh below already shows it.
    for (const p of [ack.proposal, ack.target, ack.source]) {
      if (p) versions.accept(`proposal:${p.id}`, ack.version);
    }
    say(said(command, form, ack));
    if (command === 'hide_proposal') offerUndo(ack.proposal);
    else if (command === 'restore_proposal' && undoable?.id === ack.proposal.id) hideUndo();
    rows.refresh();
    return ack;
  }

  async function undo() {
    if (!undoable) { say(t.nothingToUndo, 'error'); return; }
    // run() takes the offer down when the server says it is shown again.
    await run('restore_proposal', { proposal_id: undoable.id }, null);
  }

  undoButton.addEventListener('click', undo);

  root.addEventListener('submit', (event) => {
    const form = event.target;
    if (!form.matches('form[data-command]') || event.defaultPrevented) return;
    if (!socket.connected) return; // the plain form post
    event.preventDefault();
    const payload = payloadOf(form, event.submitter);
    // Done with the row's panel: close it, so the rows can refresh under it.
    const panel = form.closest('details.pop');
    if (panel) {
      panel.open = false;
      panel.closest('tr')?.focus({ preventScroll: true });
    }
    run(form.dataset.command, payload, form);
  });

  // The merge target must be chosen: say so next to the list (the browser's own check found it).
  root.addEventListener('invalid', (event) => {
    const select = event.target;
    if (!select.matches?.('.merge-form select')) return;
    event.preventDefault();
    select.setAttribute('aria-invalid', 'true');
    const error = document.getElementById(select.getAttribute('aria-describedby'));
    if (error) error.hidden = false;
    select.focus();
  }, true);
  root.addEventListener('change', (event) => {
    const select = event.target;
    if (!select.matches?.('.merge-form select')) return;
    select.removeAttribute('aria-invalid');
    const error = document.getElementById(select.getAttribute('aria-describedby'));
    if (error) error.hidden = true;
  });

  return { undo, hasUndo: () => undoable !== null };
}
