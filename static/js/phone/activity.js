// The live activity other than the proposals (docs/activities.md): a quick poll, questions to
// the panel, the evaluation or a word cloud, painted by the server as plain forms
// (templates/phone/_poll.html, _panel.html, _evaluation.html, _words.html). When the
// facilitator starts another activity the server says which one is live and the page reloads
// to paint it: that happens a few times an evening.
import { socket } from './connection.js';

const PAINTED = ['poll', 'panel', 'evaluation', 'cloud'];

function paintedActivity() {
  const section = PAINTED.map((id) => document.getElementById(id)).find(Boolean);
  return section ? Number(section.dataset.activityId) : null;
}

function liveIn(snapshot) {
  if (snapshot.poll) return snapshot.poll.poll.id;
  if (snapshot.panel) return snapshot.panel.activity_id;
  if (snapshot.evaluation) return snapshot.evaluation.evaluation.id;
  if (snapshot.cloud) return snapshot.cloud.activity_id;
  return null;
}

export function wireActivity() {
  socket.on('activity', ({ live }) => {
    const shown = live && live.kind !== 'proposals' ? live.id : null;
    if (shown !== paintedActivity()) window.location.reload();
  });
  // After a reconnect the push may have been missed: the snapshot says what is live.
  socket.on('snapshot', (snapshot) => {
    if (liveIn(snapshot) !== paintedActivity()) window.location.reload();
  });
}
