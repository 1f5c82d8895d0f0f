// The question cards to choose from when writing a proposal: the server's list, rebuilt when
// the facilitator edits it, keeping the resident's choice if that question is still there.
import { state } from './state.js';

export function renderQuestions(questions) {
  state.questions = questions;
  const box = document.getElementById('question-cards');
  if (!box) return;
  const checked = box.querySelector('input:checked')?.value;
  const cards = questions.map((question, i) => {
    const div = document.createElement('div');
    div.className = 'radio question-card';
    const input = document.createElement('input');
    Object.assign(input, {
      type: 'radio', name: 'question_id', id: `question_id-${i}`, value: String(question.id),
      required: true, checked: String(question.id) === checked,
    });
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = question.text;
    div.append(input, ' ', label);
    return div;
  });
  box.querySelectorAll('.question-card').forEach((node) => node.remove());
  box.querySelector('legend').after(...cards);
  box.hidden = questions.length === 0;
}
