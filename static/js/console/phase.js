// Phase changes ask first. A phase button opens a dialog that says what the change does (the
// words come from the server, on the button's form); only "yes" sends set_phase. Cancel, Escape
// or a click outside leave the phase as it was. Without a live socket, "yes" posts the form
// with confirmed=1. The phase and countdown controls are then fetched again from the server.
import { send } from '../live.js';

export function createPhase({ root, socket, say, t, onChanged }) {
  const dialog = document.getElementById('phase-dialog');
  const title = document.getElementById('phase-dialog-title');
  const text = document.getElementById('phase-dialog-text');
  const yes = document.getElementById('phase-dialog-confirm');
  const no = document.getElementById('phase-dialog-cancel');
  let asking = null; // the phase form being confirmed

  function ask(form) {
    asking = form;
    title.textContent = form.dataset.question;
    text.textContent = form.dataset.consequence;
    yes.textContent = form.dataset.yes;
    dialog.showModal();
    // Closing the event is the one to think twice about: there the safe choice has the focus.
    (form.dataset.phase === 'closed' ? no : yes).focus();
  }

  async function confirm() {
    const form = asking;
    asking = null;
    dialog.close();
    if (!form) return;
    const phase = form.dataset.phase;
    if (!socket.connected) {
      const confirmed = document.createElement('input');
      Object.assign(confirmed, { type: 'hidden', name: 'confirmed', value: '1' });
      form.append(confirmed);
      form.submit(); // no submit event: straight to the server
      return;
    }
    const ack = await send(socket, 'set_phase', { phase }, { attempts: 2, timeout: 6000 });
    if (!ack.ok) { say(ack.message ?? t.error, 'error'); return; }
    onChanged(ack.version, ack.phase);
  }

  function cancel() {
    asking = null;
    if (dialog.open) dialog.close();
  }

  root.addEventListener('submit', (event) => {
    const form = event.target;
    if (!form.matches('.phase-form') || event.defaultPrevented) return;
    event.preventDefault();
    ask(form);
  });
  yes.addEventListener('click', confirm);
  no.addEventListener('click', cancel);
  dialog.addEventListener('close', () => { asking = null; });
  // A click on the backdrop (outside the dialog's box) is a cancel too.
  dialog.addEventListener('click', (event) => {
    if (event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right
      && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) cancel();
  });
}
