// Questions to the panel in present mode (templates/events/projector_questions.html): the
// question answered now and the eight most liked open ones, repainted from the public `panel`
// push. The staff snapshot carries hidden questions too; the hall never sees them.
import { plural } from '../live.js';
import {
  activityId, onSnapshot, socket, t, versions,
} from './present.js';

const TOP = 8;

function paint(panel) {
  const now = document.getElementById('panel-now');
  now.hidden = !panel.live;
  document.getElementById('panel-now-text').textContent = panel.live ? panel.live.text : '';
  const list = document.getElementById('panel-top');
  const open = panel.questions.filter((q) => q.status === 'open').slice(0, TOP);
  list.replaceChildren(...open.map((q) => {
    const item = document.createElement('li');
    const text = document.createElement('span');
    text.className = 'panel-top-text';
    text.textContent = q.text;
    const likes = document.createElement('span');
    likes.className = 'panel-top-likes';
    likes.textContent = plural(t.count_likes, q.likes);
    item.append(text, ' ', likes);
    return item;
  }));
}

onSnapshot('panel', (part) => part.activity_id, paint);
socket.on('panel', ({ version, panel }) => {
  if (panel.activity_id === activityId && versions.accept('panel', version)) paint(panel);
});
