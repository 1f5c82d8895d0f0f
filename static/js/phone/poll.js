// The live quick poll (docs/activities.md). The page paints the live poll as a plain form
// (templates/phone/_poll.html); when the facilitator starts another activity, the server says
// which one is live and the page reloads to paint it: that happens a few times an evening.
import { socket } from './connection.js';

function paintedPoll() {
  const section = document.getElementById('poll');
  return section ? Number(section.dataset.activityId) : null;
}

export function wirePoll() {
  socket.on('activity', ({ live }) => {
    const shown = live && live.kind === 'poll' ? live.id : null;
    if (shown !== paintedPoll()) window.location.reload();
  });
  // After a reconnect the push may have been missed: the snapshot says what is live.
  socket.on('snapshot', (snapshot) => {
    const shown = snapshot.poll ? snapshot.poll.poll.id : null;
    if (shown !== paintedPoll()) window.location.reload();
  });
}
