// The proposal form, sent through the outbox instead of a page load once the socket has worked
// (connection.js queueable); before that, or without JavaScript, it posts as a plain form.
// Errors are shown the way the server-rendered form shows them (.has-error, aria-invalid,
// aria-describedby), and the focus goes to the field to fix.
import { newClientId } from '../live.js';
import { t } from './state.js';
import { outbox, queueable, socket } from './connection.js';
import { proposalSent } from './sync.js';

export const proposalForm = document.getElementById('proposal-form');

export function showFieldError(form, field, message) {
  const input = field ? form.querySelector(`[name="${field}"]`) : null;
  const status = form.querySelector('.form-status');
  if (!input) { if (status) status.textContent = message; return; }
  const wrapper = input.closest('.field');
  wrapper.classList.add('has-error');
  input.setAttribute('aria-invalid', 'true');
  let error = wrapper.querySelector('.error');
  if (!error) {
    error = document.createElement('p');
    error.className = 'error';
    error.id = `${input.id}-error`;
    wrapper.append(error);
    input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') ?? ''} ${error.id}`.trim());
  }
  error.textContent = message;
  input.focus();
}

function clearErrors(form) {
  for (const wrapper of form.querySelectorAll('.has-error')) {
    wrapper.classList.remove('has-error');
    wrapper.querySelector('[aria-invalid]')?.removeAttribute('aria-invalid');
    wrapper.querySelector('.error')?.remove();
  }
}

// An empty form with a fresh client_id: the next proposal is a new write, not a replay.
export function resetProposalForm() {
  proposalForm.reset();
  document.getElementById('similar-box').hidden = true;
  document.getElementById('similar-measures-box').hidden = true;
  proposalForm.querySelector('[name="client_id"]').value = newClientId();
}

// Offline, the checks the server would make first, so the resident can fix them now rather
// than find the proposal refused later. Online the server's answer is the only check.
function draftProblem(payload) {
  if (!payload.title?.trim()) return ['title', t.required];
  const cards = document.getElementById('question-cards');
  if (cards && !cards.hidden && !payload.question_id) return ['question_id', t.choose_question];
  return null;
}

export function wireProposalForm() {
  proposalForm.addEventListener('submit', async (event) => {
    if (!queueable()) return; // the plain form post
    event.preventDefault();
    clearErrors(proposalForm);
    const data = new FormData(proposalForm);
    const payload = {
      title: data.get('title'),
      body: data.get('body'),
      focus_area_id: data.get('focus_area_id') ? Number(data.get('focus_area_id')) : null,
      question_id: data.get('question_id') ? Number(data.get('question_id')) : null,
      client_id: data.get('client_id'),
    };
    const problem = socket.connected ? null : draftProblem(payload);
    if (problem) { showFieldError(proposalForm, ...problem); return; }
    const button = proposalForm.querySelector('button[type="submit"]');
    const status = proposalForm.querySelector('.form-status');
    button.disabled = true;
    const ack = await outbox.add('submit_proposal', payload,
      { kind: 'proposal', title: payload.title.trim(), body: payload.body ?? '' });
    button.disabled = false;
    // Disabling the focused button dropped the focus to the page: give it back.
    if (document.activeElement === document.body) button.focus();
    if (ack.queued) { resetProposalForm(); status.textContent = t.outbox_saved; return; }
    if (!ack.ok) { showFieldError(proposalForm, ack.field, ack.message ?? t.error); return; }
    status.textContent = proposalSent(ack);
    resetProposalForm();
  });
}
