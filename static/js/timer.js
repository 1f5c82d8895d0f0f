// The phase countdown. The end time is the server's; the offset between the server's clock and
// this device's is measured from `server_time`, so a phone whose clock is off still agrees.
export function countdown(node, announce, t) {
  const left = node.querySelector('.timer-left');
  const label = node.querySelector('.timer-label');
  let endsAt = null;
  let offset = 0;
  let handle = null;
  let spokenMinute = false;

  function tick() {
    const ms = endsAt - (Date.now() + offset);
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    left.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    node.classList.toggle('timer-low', seconds <= 60);
    // Announce only the moments that matter, never every second.
    if (seconds <= 60 && seconds > 0 && !spokenMinute) {
      spokenMinute = true;
      announce(t.timer_minute);
    }
    if (seconds === 0) {
      clearInterval(handle);
      handle = null;
      left.textContent = t.timer_up;
      announce(t.timer_up);
    }
  }

  return {
    set(endsAtIso, serverTimeIso) {
      if (handle) clearInterval(handle);
      handle = null;
      node.hidden = !endsAtIso;
      if (!endsAtIso) { endsAt = null; return; }
      endsAt = Date.parse(endsAtIso);
      if (label?.dataset.liveLabel) label.textContent = label.dataset.liveLabel;
      if (serverTimeIso) offset = Date.parse(serverTimeIso) - Date.now();
      spokenMinute = endsAt - (Date.now() + offset) <= 60000;
      tick();
      if (endsAt - (Date.now() + offset) > 0) handle = setInterval(tick, 250);
    },
  };
}
