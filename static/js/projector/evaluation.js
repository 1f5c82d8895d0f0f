// The evaluation in present mode (templates/events/projector_evaluation.html): only how many
// have answered moves (the staff room's `evaluation` push); the answers stay with staff.
import { plural } from '../live.js';
import {
  activityId, onSnapshot, socket, t, versions,
} from './present.js';

function paint(people) {
  document.getElementById('evaluation-people').textContent = plural(t.count_answered, people);
}

onSnapshot('evaluation', (part) => part.evaluation.id, (part) => paint(part.results.people));
socket.on('evaluation', ({ version, activity_id: id, people }) => {
  if (id === activityId && versions.accept('evaluation', version)) paint(people);
});
