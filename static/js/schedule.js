// "Öppnar 3 december kl. 18:00" / "Röstningen öppnar …" / "Stänger …": the event's own
// schedule, on the room's clock.
import { format } from './live.js';

function when(iso, t) {
  const date = new Date(iso);
  const lang = document.documentElement.lang;
  const zone = t.timezone;
  const day = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', timeZone: zone })
    .format(date);
  const time = new Intl.DateTimeFormat(lang, {
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone,
  }).format(date);
  return format(t.at_time, { date: day, time });
}

export function scheduleLine(node, t) {
  if (!node) return { set() {}, phase() {} };
  const opens = node.querySelector('.schedule-opens');
  const voting = node.querySelector('.schedule-voting');
  const closes = node.querySelector('.schedule-closes');
  const state = { opensAt: node.dataset.opensAt || null, closesAt: node.dataset.closesAt || null,
    votingOpensAt: node.dataset.votingOpensAt || null, phase: null };

  function render() {
    const showOpens = Boolean(state.opensAt) && state.phase === 'lobby';
    const showVoting = Boolean(state.votingOpensAt) && ['lobby', 'collect'].includes(state.phase);
    const showCloses = Boolean(state.closesAt) && ['lobby', 'collect', 'vote'].includes(state.phase);
    opens.hidden = !showOpens;
    voting.hidden = !showVoting;
    closes.hidden = !showCloses;
    if (state.opensAt) opens.textContent = format(t.opens, { when: when(state.opensAt, t) });
    if (state.votingOpensAt) {
      voting.textContent = format(t.voting_opens, { when: when(state.votingOpensAt, t) });
    }
    if (state.closesAt) closes.textContent = format(t.closes, { when: when(state.closesAt, t) });
    node.hidden = !showOpens && !showVoting && !showCloses;
  }

  return {
    set(opensAt, closesAt, votingOpensAt = null) {
      state.opensAt = opensAt;
      state.closesAt = closesAt;
      state.votingOpensAt = votingOpensAt;
      render();
    },
    phase(phase) { state.phase = phase; render(); },
  };
}
