// While a resident types, the most similar proposals already on the wall (the server's `similar`
// answer), each with "support this instead": the resident keeps that one in mind (wishes.js)
// and the form is emptied, rather than a duplicate being written.
import { format, send } from '../live.js';
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

const tonnes = new Intl.NumberFormat(document.documentElement.lang || 'sv', {
  maximumFractionDigits: 1,
});

// "Support the measure" only jumps to its checkbox on the budget ballot: ticking it, and
// saving the ballot, stay the resident's own steps. Before voting opens the ballot is hidden,
// so the phone says when it can be ticked instead.
function supportMeasure(event, id, li) {
  const box = document.getElementById(`measure-${id}`);
  const ballot = document.getElementById('budget');
  if (box && ballot && !ballot.hidden) {
    event.preventDefault();
    box.scrollIntoView({ block: 'center' });
    box.focus();
    return;
  }
  event.preventDefault();
  let note = li.querySelector('.measure-later');
  if (!note) {
    note = document.createElement('span');
    note.className = 'measure-later';
    note.setAttribute('role', 'status');
    li.append(' ', note);
  }
  note.textContent = t.support_measure_later;
}

function measureItem(measure) {
  const li = document.createElement('li');
  const [before, after = ''] = String(t.like_measure).split('%(title)s');
  const link = document.createElement('a');
  link.href = measure.url;
  link.textContent = measure.title;
  const status = String(t.measure_statuses?.[measure.status] ?? measure.status);
  const facts = [status.charAt(0).toLocaleLowerCase() + status.slice(1)];
  if (measure.reduction_low !== null && measure.reduction_high !== null) {
    facts.push(format(t.measure_tonnes, {
      low: tonnes.format(measure.reduction_low), high: tonnes.format(measure.reduction_high),
    }));
  }
  li.append(before, link, `${after} (${facts.join(', ')})`);
  if (measure.on_ballot) {
    const support = document.createElement('a');
    support.href = `#measure-${measure.id}`;
    support.className = 'button secondary support-measure';
    support.textContent = t.support_measure;
    support.addEventListener('click', (event) => supportMeasure(event, measure.id, li));
    li.append(' ', support);
  }
  return li;
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
  const measures = ack.measures ?? [];
  document.getElementById('similar-measures-box').hidden = measures.length === 0;
  document.getElementById('similar-measures').replaceChildren(...measures.map(measureItem));
}

export function wireSimilar() {
  proposalForm.addEventListener('input', () => {
    clearTimeout(similarTimer);
    similarTimer = setTimeout(showSimilar, 400);
  });
}
