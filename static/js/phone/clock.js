// The two clocks in the page head: the phase countdown and the "opens/closes at" line. Both
// show the server's times; they speak through the live region only at the moments that matter.
import { countdown } from '../timer.js';
import { scheduleLine } from '../schedule.js';
import { root, t } from './state.js';
import { announce } from './news.js';

export const timer = countdown(document.getElementById('timer'), announce, t);
export const schedule = scheduleLine(document.getElementById('schedule-line'), t);
schedule.phase(root.dataset.phase);
