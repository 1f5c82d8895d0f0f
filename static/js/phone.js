// The resident's phone: enhances the plain forms with live updates and acknowledged writes.
// This entry module (the one the page loads) wires the parts in ./phone/ together and turns
// the server's pushes into calls on them:
//   state.js        what the server last said (phase, ballot, own proposals), and versions
//   news.js         the polite live region          clock.js   countdown and schedule line
//   connection.js   the socket and the outbox        sync.js    snapshots and write answers
//   proposals.js    the proposal list                ballot.js  the ballot on screen
//   phase.js        phase sections and results       questions.js  the question cards
//   forms.js        the proposal form                votes.js   vote and withdraw forms
//   similar.js      similar proposals and measures, support-instead   wishes.js  what was supported instead
//   outbox-view.js  the outbox on screen          budget.js  the budget ballot
//   activity.js     a live poll, questions or evaluation (reloads when another starts)
//   panel.js        the questions to the panel, repainted on each push
// The page applies what the server sends; it never works out a server rule (a refund, a
// carried-over vote, a ranking) itself. When one may have changed the person's ballot or
// proposals, it asks for a fresh snapshot (sync.js refresh).
import { format } from './live.js';
import {
  state, t, versions, votedOn,
} from './phone/state.js';
import { news } from './phone/news.js';
import { schedule, timer } from './phone/clock.js';
import { onOutbox, socket } from './phone/connection.js';
import { applySnapshot, refresh } from './phone/sync.js';
import { relabelQuestions, remove, upsert } from './phone/proposals.js';
import { redrawBallot } from './phone/ballot.js';
import { renderResults, renderTableResults, setPhase } from './phone/phase.js';
import { renderQuestions } from './phone/questions.js';
import { wireProposalForm } from './phone/forms.js';
import { wireVoteForms } from './phone/votes.js';
import { wireSimilar } from './phone/similar.js';
import { markWishes } from './phone/wishes.js';
import { renderOutbox, settleQueued, wireOutboxView } from './phone/outbox-view.js';
import { renderBudgetResults, wireBudget } from './phone/budget.js';
import { wireActivity } from './phone/activity.js';
import { wirePanel } from './phone/panel.js';

onOutbox({ settled: settleQueued, changed: renderOutbox });
wireProposalForm();
wireSimilar();
wireVoteForms();
wireOutboxView();
wireBudget();
wireActivity();
wirePanel();

socket.on('snapshot', applySnapshot);

// Two proposals were merged (or split again): a ballot or an own proposal among them has
// changed on the server (votes carried over, dots given back), so ask for the whole state.
socket.on('merge', async ({ source_id: sourceId, target_id: targetId }) => {
  const involved = [sourceId, targetId].some((id) => votedOn(id) || state.mine.has(id));
  if (involved) await refresh();
});

socket.on('proposal', async ({ version, proposal }) => {
  if (!versions.accept(`proposal:${proposal.id}`, version)) return;
  // Hidden (or erased) with this person's votes on it: the server has given those votes back
  // (or deleted them), so the ballot it holds is no longer the one on the page.
  const ballotChanged = proposal.status === 'hidden' && votedOn(proposal.id);
  if (proposal.erased) {
    // Its author erased it (and all their votes): it is gone, not hidden by anyone.
    remove(proposal.id);
    const own = state.mine.delete(proposal.id);
    if (own || ballotChanged) await refresh();
    return;
  }
  const isNew = upsert(proposal);
  redrawBallot(); // a new item gets its vote controls
  if (isNew && proposal.status === 'visible') news.proposal();
  if (ballotChanged) await refresh();
});

socket.on('tables', ({ version, tables }) => {
  if (versions.accept('tables', version)) state.tables = tables;
});

socket.on('questions', ({ version, questions }) => {
  if (!versions.accept('questions', version)) return;
  renderQuestions(questions);
  relabelQuestions();
});

socket.on('schedule', ({
  version, opens_at: opensAt, closes_at: closesAt, voting_opens_at: votingOpensAt,
}) => {
  if (versions.accept('schedule', version)) schedule.set(opensAt, closesAt, votingOpensAt);
});

socket.on('timer', ({ version, ends_at: endsAt, server_time: serverTime }) => {
  if (versions.accept('timer', version)) timer.set(endsAt, serverTime);
});

socket.on('phase', ({
  version, phase, results, table_results: tableResults, by, budget_results: budgetResults,
}) => {
  // A new phase ends the previous phase's countdown; a re-sent same phase does not.
  if (phase !== state.phase && versions.accept('timer', version)) timer.set(null);
  if (!versions.accept('phase', version)) return;
  setPhase(phase);
  if (results) renderResults(results);
  if (results) renderTableResults(tableResults);
  if (budgetResults) renderBudgetResults(budgetResults);
  const byClock = by === 'schedule' ? {
    collect: t.opened_by_schedule, vote: t.voting_by_schedule,
  }[phase] ?? t.closed_by_schedule : null;
  news.phase([byClock, format(t.phase_now, { phase: t.phases[phase] ?? phase })].filter(Boolean).join(' '));
});

renderOutbox();
markWishes();
