// While a resident types, the most similar proposals already on the wall (the server's `similar`
// answer), each with "support this instead": the resident keeps that one in mind (wishes.js)
// and the form is emptied, rather than a duplicate being written.
import { send } from '../live.js';
import { t } from './state.js';
import { socket } from './connection.js';
import { addWish } from './wishes.js';
import { proposalForm, resetProposalForm } from './forms.js';

let similarTimer = null;
let similarAsked = 0;

function supportInstead(id) {
  addWish(id);
  resetProposalForm();
  const target = document.getElementById(`proposal-${id}`);
  target?.scrollIntoView({ block: 'center' });
  target?.querySelector('.p-wished')?.focus?.();
}

async function showSimilar() {
  if (!socket.connected) return;
  const asked = ++similarAsked;
  const title = proposalForm.querySelector('[name="title"]').value;
  const ack = await send(socket, 'similar', {
    title, body: proposalForm.querySelector('[name="body"]').value,
  }, { attempts: 1, timeout: 4000 });
  if (asked !== similarAsked || !ack.ok) return; // a newer keystroke has asked again
  // The form was sent and emptied meanwhile: these hints answer a text that is gone.
  if (proposalForm.querySelector('[name="title"]').value !== title) return;
  const box = document.getElementById('similar-box');
  box.hidden = ack.matches.length === 0;
  document.getElementById('similar-list').replaceChildren(...ack.matches.map((match) => {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = `#proposal-${match.id}`;
    link.textContent = match.title;
    const instead = document.createElement('button');
    instead.type = 'button';
    instead.className = 'secondary support-instead';
    instead.textContent = t.support_instead;
    instead.addEventListener('click', () => supportInstead(match.id));
    li.append(link, ' ', instead);
    return li;
  }));
}

export function wireSimilar() {
  proposalForm.addEventListener('input', () => {
    clearTimeout(similarTimer);
    similarTimer = setTimeout(showSimilar, 400);
  });
}
