// Shared by the present modes (poll.js, panel.js, evaluation.js): the socket, the status line,
// and a reload when the facilitator starts another activity, so the page paints what is live.
import {
  Versions, connect, setStatus, strings,
} from '../live.js';

export const root = document.getElementById('projector');
export const t = strings();
export const versions = new Versions();
export const activityId = Number(root.dataset.activityId);

export const socket = connect(Number(root.dataset.eventId), (status, message) => {
  setStatus(document.getElementById('projector-status'), t[status] ?? message, status);
});

socket.on('activity', ({ live }) => {
  if (!live || live.id !== activityId) window.location.reload();
});

// After each (re)connect: `part` of the staff snapshot is this activity, or the page reloads
// (it changed while the socket was away); otherwise paint it.
export function onSnapshot(key, idOf, paint) {
  socket.on('snapshot', (s) => {
    const part = s[key];
    if (!part || idOf(part) !== activityId) { window.location.reload(); return; }
    if (versions.accept(key, s.version, { snapshot: true })) paint(part);
  });
}
