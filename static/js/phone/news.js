// The phone's one polite live region (#live-status): arrivals counted into one sentence, phase
// changes said at once (announce.js), and anything else said through `announce`.
import { announcer } from '../announce.js';
import { t } from './state.js';

export const news = announcer(document.getElementById('live-status'), t);

export function announce(text) { news.say(text); }
