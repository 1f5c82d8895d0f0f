// The phone's socket and its outbox (../outbox.js): every write goes through the outbox, which
// sends it now or keeps it on the phone until the socket is back.
import { connect, send, setStatus } from '../live.js';
import { Outbox } from '../outbox.js';
import { root, t } from './state.js';
import { announce } from './news.js';

// The status line shows every change; a screen reader hears only the ones that last (a
// reconnect that takes under two seconds is not worth interrupting anyone for).
let heardStatus = 'connected';
let statusTimer = null;
export const socket = connect(Number(root.dataset.eventId), (status, message) => {
  setStatus(document.getElementById('connection'), t[status] ?? message, status);
  clearTimeout(statusTimer);
  statusTimer = setTimeout(() => {
    if (status === heardStatus) return;
    heardStatus = status;
    announce(status === 'connected' ? t.back_online : t[status] ?? message);
  }, status === 'reconnecting' ? 2000 : 0);
});

// What the outbox reports goes to the outbox view (outbox-view.js), which the entry module
// attaches with onOutbox(); the outbox reports nothing before the socket's first connect.
const listeners = { settled() {}, changed() {} };
export function onOutbox({ settled, changed }) { Object.assign(listeners, { settled, changed }); }

export const outbox = new Outbox(`participation:outbox:${root.dataset.eventId}`, {
  transmit: (name, payload) => send(socket, name, payload, { attempts: 1 }),
  ready: () => socket.connected,
  settled: (item, ack) => listeners.settled(item, ack),
  changed: (items) => listeners.changed(items),
});
let everConnected = false;
socket.on('connect', () => { everConnected = true; outbox.drain(); });

// Once the socket has worked, a write never falls back to a plain form post: offline, that post
// would end on the browser's error page. Before it has ever connected (a proxy that blocks
// WebSockets, say), the plain forms still work, as they do without JavaScript.
export function queueable() {
  if (socket.refused) return false; // refused for good: the plain forms say why
  return socket.connected || everConnected || outbox.items.length > 0 || navigator.onLine === false;
}
