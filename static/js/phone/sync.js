// Applying what the server says about the whole page or about one write: a snapshot (on every
// connect, or asked for), and the answers to a proposal or a vote. When something the server
// decided may have changed this person's ballot or proposals (a merge, a hide, an erasure),
// the phone asks for a fresh snapshot with refresh() rather than working the change out itself:
// refunds, carried-over votes and budgets are the server's rules, and only it applies them.
import { send } from '../live.js';
import { root, state, t, versions } from './state.js';
import { schedule, timer } from './clock.js';
import { socket } from './connection.js';
import { applyBallot } from './ballot.js';
import { renderQuestions } from './questions.js';
import { upsert } from './proposals.js';
import { renderResults, renderTableResults, setPhase } from './phase.js';

// The personal follow link appears after the first proposal or vote.
function showFollowLink(url) {
  const link = document.getElementById('follow-link');
  if (!link) return;
  link.href = url;
  link.textContent = url;
  document.getElementById('follow-box').hidden = false;
  // The voluntary "who is taking part" card waits for the same moment: a first write.
  const who = document.getElementById('who');
  if (who) who.hidden = false;
}

export function applySnapshot(s) {
  state.mine = new Set(s.me?.proposal_ids ?? []);
  state.seed = s.me?.seed ?? null;
  state.table = s.me?.table ?? null;
  state.tables = s.event.tables ?? [];
  if (versions.accept('questions', s.version)) renderQuestions(s.event.questions ?? []);
  if (versions.accept('schedule', s.version)) schedule.set(s.event.opens_at, s.event.closes_at, s.event.voting_opens_at);
  for (const p of [...s.proposals].sort((a, b) => a.id - b.id)) {
    if (versions.accept(`proposal:${p.id}`, s.version, { snapshot: true })) upsert(p);
  }
  if (versions.accept('phase', s.version)) {
    setPhase(s.event.phase);
    if (s.results) renderResults(s.results);
    if (s.table_results) renderTableResults(s.table_results);
  }
  if (s.me && versions.accept('ballot', s.version, { snapshot: true })) applyBallot(s.me.ballot);
  if (s.me?.follow_url) showFollowLink(s.me.follow_url);
  if (versions.accept('timer', s.version)) timer.set(s.event.timer_ends_at, s.server_time);
  versions.settle(s.version);
  root.dataset.synced = s.version; // the page now shows this snapshot (tests wait for it)
}

// Ask the server for the whole state now (the acknowledged `snapshot` command) and apply it.
export async function refresh() {
  const ack = await send(socket, 'snapshot', {}, { attempts: 2, timeout: 8000 });
  if (ack.ok) applySnapshot(ack.state);
}

// The server took a proposal: it is the person's own now; the text says so, or that it waits.
export function proposalSent(ack) {
  state.mine.add(ack.proposal.id);
  if (ack.follow_url) showFollowLink(ack.follow_url);
  versions.accept(`proposal:${ack.proposal.id}`, ack.version);
  upsert(ack.proposal);
  return ack.proposal.status === 'pending' ? t.sent_pending : t.sent;
}

// The server took a vote or a withdrawal and answered with the person's whole ballot.
export function ballotSent(ack) {
  // An older answer (a replay, or one overtaken by a snapshot) changes nothing, but the queued
  // write it answers is gone from the outbox, so the ballot is drawn again either way.
  applyBallot(versions.accept('ballot', ack.version) ? ack.ballot : state.ballot);
  // A first vote made this person's follow link: one snapshot carries it (asked once only,
  // so no later vote ever costs a snapshot).
  if (!state.followAsked && document.getElementById('follow-box')?.hidden) {
    state.followAsked = true;
    refresh().catch(() => {});
  }
}
