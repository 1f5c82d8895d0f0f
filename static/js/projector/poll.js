// A quick poll's present mode (templates/events/projector_poll.html): each answer moves the
// bars (the staff room's `poll` push). Nothing here counts: the numbers are the server's.
import { plural } from '../live.js';
import {
  activityId, onSnapshot, root, socket, t, versions,
} from './present.js';

function paint(results) {
  document.getElementById('poll-people').textContent = plural(t.count_answered, results.people);
  for (const option of results.options) {
    const row = root.querySelector(`[data-position="${option.position}"]`);
    if (!row) continue;
    const meter = row.querySelector('meter');
    meter.max = Math.max(results.people, 1);
    meter.value = option.people;
    row.querySelector('.poll-present-count').textContent = option.people;
  }
}

onSnapshot('poll', (part) => part.poll.id, (part) => paint(part.results));
socket.on('poll', ({ version, results }) => {
  if (results.activity_id === activityId && versions.accept('poll', version)) paint(results);
});
