// Shared by the phone, projector and console pages: the socket, versions and acknowledged writes.

export function strings() {
  const node = document.getElementById('client-strings');
  return node ? JSON.parse(node.textContent) : {};
}

export function format(template, values) {
  return String(template).replace(/%\((\w+)\)[sd]/g, (_, key) => values[key] ?? '');
}

// `forms` maps the page language's plural categories (CLDR: zero, one, two, few, many,
// other) to the server catalogue's forms (web/labels.py); Arabic has six, Ukrainian four.
const pageLang = document.documentElement.lang || 'sv';
const pluralRules = new Intl.PluralRules(pageLang);
export function plural(forms, n) {
  return format(forms[pluralRules.select(n)] ?? forms.other, { num: n });
}

// Numbers in the page's language, always in Latin digits (as the server writes them: Babel).
export function number(n, options) {
  return Number(n).toLocaleString(`${pageLang}-u-nu-latn`, options);
}

// What a person wrote, shown in its own language and direction inside a page of another.
export function writtenIn(node, lang) {
  node.dir = 'auto';
  if (lang) node.lang = lang; else node.removeAttribute('lang');
}

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]').content;
}

// crypto.randomUUID needs a secure context; phones on a LAN address over http are not one.
export function newClientId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Every push carries the event version. Each piece of state (the phase, each proposal, the
// tallies, the ballot) remembers the version it was last set at and ignores anything not newer,
// so pushes that arrive out of order, or just before a snapshot, never roll the page back.
export class Versions {
  constructor() { this.base = 0; this.seen = new Map(); }
  // A snapshot's content is at least as new as its version (it is read first), so a snapshot
  // may replace a push of the same version: it can carry more, e.g. an author's own text.
  accept(key, version, { snapshot = false } = {}) {
    const current = this.seen.get(key) ?? this.base;
    if (typeof version !== 'number' || version < current) return false;
    if (version === current && !snapshot) return false;
    this.seen.set(key, version);
    return true;
  }
  // After a snapshot at `version`: pieces it did not name are at least that new.
  settle(version) { this.base = Math.max(this.base, version); }
}

export function connect(eventId, onStatus) {
  // eslint-disable-next-line no-undef
  const socket = io({ auth: { csrf_token: csrfToken(), event: eventId } });
  socket.on('connect', () => { socket.refused = false; onStatus('connected'); });
  socket.on('disconnect', () => onStatus(navigator.onLine === false ? 'offline' : 'reconnecting'));
  socket.on('connect_error', (err) => {
    if (socket.active) { onStatus(navigator.onLine === false ? 'offline' : 'reconnecting'); return; }
    // The server refused this connect; socket.io-client does not try again by itself.
    const data = err?.data ?? {};
    if (data.error === 'rate_limited') {
      // Too many at once (a whole venue reconnecting): come back later, not all together.
      onStatus('reconnecting');
      const wait = (Number(data.retry_after) || 1) * 1000 * (1 + Math.random());
      setTimeout(() => { if (!socket.connected) socket.connect(); }, wait);
      return;
    }
    socket.refused = true; // for good (the session expired, say): the page's forms take over
    onStatus('refused', err?.message);
  });
  // When the phone says it has no network, the socket is dead even if the browser has not
  // noticed yet (that takes a missed ping, up to 20 s, and Chromium keeps an open WebSocket
  // "up" while offline): close it, so writes wait in the outbox instead of vanishing into it.
  window.addEventListener('offline', () => {
    socket.disconnect();
    onStatus('offline');
  });
  // Back on the network: connect now rather than at the next back-off step (up to 5 s away).
  window.addEventListener('online', () => {
    if (!socket.connected) socket.disconnect().connect();
  });
  return socket;
}

// Send a write and wait for its acknowledgement. A timed-out write is sent again with the
// same client_id, which the server answers with the stored result instead of counting twice.
export function send(socket, name, payload, { attempts = 5, timeout = 8000 } = {}) {
  return new Promise((resolve) => {
    const attempt = (left) => {
      socket.timeout(timeout).emit(name, payload, (err, ack) => {
        if (!err) { resolve(ack); return; }
        if (left <= 1) { resolve({ ok: false, error: 'timeout' }); return; }
        const retry = () => attempt(left - 1);
        if (socket.connected) retry(); else socket.once('connect', retry);
      });
    };
    attempt(attempts);
  });
}

export function setStatus(node, text, state) {
  if (!node) return;
  node.textContent = text;
  node.dataset.state = state;
  node.hidden = state === 'connected' && !node.dataset.always;
}
