// A word cloud in present mode (templates/events/projector_words.html): repainted from the
// public `cloud` push, each word larger the more people sent it (five sizes, as the page).
// The staff snapshot marks hidden words; the hall never sees them.
import { plural } from '../live.js';
import {
  activityId, onSnapshot, socket, t, versions,
} from './present.js';

function paint(cloud) {
  document.getElementById('cloud-people').textContent = plural(t.count_sent_words, cloud.people);
  const shown = cloud.words.filter((w) => !w.hidden);
  const top = Math.max(1, ...shown.map((w) => w.people));
  document.getElementById('cloud-words').replaceChildren(...shown.map((w) => {
    const item = document.createElement('li');
    item.className = `size-${Math.floor((w.people * 4) / top) + 1}`;
    item.textContent = w.word;
    const count = document.createElement('span');
    count.className = 'visually-hidden';
    count.textContent = ` (${w.people})`;
    item.append(count);
    return item;
  }));
}

onSnapshot('cloud', (part) => part.activity_id, paint);
socket.on('cloud', ({ version, cloud }) => {
  if (cloud.activity_id === activityId && versions.accept('cloud', version)) paint(cloud);
});
