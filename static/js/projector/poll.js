// A quick poll's present mode (templates/events/projector_poll.html): each answer moves the
// bars (the staff room's `poll` push); another activity started reloads the page, which then
// paints what is live. Nothing here counts: the numbers are the server's.
import {
  Versions, connect, plural, setStatus, strings,
} from '../live.js';

const root = document.getElementById('projector');
const t = strings();
const versions = new Versions();
const activityId = Number(root.dataset.activityId);

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

const socket = connect(Number(root.dataset.eventId), (status, message) => {
  setStatus(document.getElementById('projector-status'), t[status] ?? message, status);
});

socket.on('snapshot', (s) => {
  if (!s.poll || s.poll.poll.id !== activityId) { window.location.reload(); return; }
  if (versions.accept('poll', s.version)) paint(s.poll.results);
});
socket.on('poll', ({ version, results }) => {
  if (results.activity_id === activityId && versions.accept('poll', version)) paint(results);
});
socket.on('activity', ({ live }) => {
  if (!live || live.id !== activityId) window.location.reload();
});
