// The run in flight: a stepper driven by the real per-member events, a live panel grid and the answer
// as it streams (rendered as sanitized Markdown, at most once per frame).
import { h } from '../dom.js';
import { formatLatency } from '../format.js';
import { renderMarkdown } from '../markdown.js';
import { memberName, panelCard } from './panel.js';

const MEMBER_MARK = { pending: '…', ok: '✓', failed: '✕', cut: '✕' };

function memberChip(member) {
  let status = { pending: 'waiting', ok: 'answered', failed: 'failed', cut: 'cut' }[member.state];
  if (member.state === 'ok' && member.latency_ms != null) status = formatLatency(member.latency_ms);
  if (member.revised) status += ` · revised r${member.revised}`;
  return h('li', {
    class: `member ${member.state}`,
    dataset: { model: member.model, label: member.label ?? '', state: member.state },
    title: member.error || null,
  }, h('span', { class: 'mark', 'aria-hidden': 'true' }, MEMBER_MARK[member.state]), ` ${memberName(member)} `,
  h('span', { class: 'member-status' }, status));
}

function panelTitle(state) {
  if (state.phase === 'sending') return 'Sending…';
  const failed = state.members.filter((m) => m.state === 'failed' || m.state === 'cut').length;
  const answered = state.members.filter((m) => m.state === 'ok').length;
  const total = state.total || state.members.length;
  return `Querying panel — ${answered}/${total} answered${failed ? ` · ${failed} failed` : ''}`;
}

function finalTitle(state) {
  if (state.decision?.kind === 'vote') {
    const agreement = typeof state.decision.agreement === 'number' ? ` — ${Math.round(state.decision.agreement * 100)}% agreement` : '';
    return `Majority vote${agreement}`;
  }
  if (state.decision?.kind === 'ranked') return state.decision.fallback ? `Best answer (fallback: ${state.decision.fallback})` : 'Selecting the best answer';
  return state.stage?.stage === 'synthesis' ? state.stage.message : `Synthesizing${state.judge ? ` with ${state.judge}` : ''}`;
}

function step(stateName, title, ...extra) {
  return h('li', { class: 'step', dataset: { state: stateName } },
    h('span', { class: 'step-dot', 'aria-hidden': 'true' }),
    h('div', { class: 'step-body' }, h('p', { class: 'step-title' }, title), extra));
}

function stepper(state) {
  const ended = ['done', 'error', 'stopped'].includes(state.phase);
  const inPanel = state.phase === 'sending' || state.phase === 'panel';
  const allFailed = state.members.length > 0 && state.members.every((m) => m.state === 'failed' || m.state === 'cut');
  const steps = [step(inPanel && !ended ? 'active' : allFailed ? 'failed' : state.members.length ? 'done' : 'pending',
    panelTitle(state), h('ul', { class: 'member-chips', 'aria-label': 'Panel members' }, state.members.map(memberChip)))];
  if (state.debate) {
    const d = state.debate;
    steps.push(step(state.phase === 'debate' ? 'active' : 'done', `Debate round ${d.round} of ${d.rounds} — ${d.completed}/${d.total} revised`));
  }
  if (state.pipeline) steps.push(step(state.phase === 'pipeline' ? 'active' : 'done', state.pipeline.message || 'Pipeline step'));
  const synthesizing = state.phase === 'synthesis' || state.phase === 'streaming';
  const finalState = state.phase === 'done' ? 'done' : synthesizing ? 'active' : ended && state.answer ? 'failed' : 'pending';
  steps.push(step(finalState, finalTitle(state)));
  return h('ol', { class: 'stepper' }, steps);
}

export function createLiveView(section) {
  const steps = h('div', { class: 'card progress-card', role: 'status', 'aria-label': 'Progress' });
  const grid = h('div', { class: 'panel-grid live-grid', 'aria-label': 'Panel answers so far' });
  const answer = h('div', { class: 'md answer-body', id: 'live-answer', 'aria-live': 'polite', 'aria-busy': 'true' });
  const status = h('p', { class: 'run-status', role: 'alert', hidden: true });
  const answerCard = h('article', { class: 'card answer-card live-answer' },
    h('header', { class: 'card-head' }, h('h3', null, 'Fused answer')), answer, status);
  let frame = 0;
  let current = null;

  function paintAnswer(final = false) {
    frame = 0;
    if (!current) return;
    if (current.answer) renderMarkdown(answer, current.answer, { highlight: final });
    else if (!final) answer.replaceChildren(h('p', { class: 'muted' }, state().phase === 'sending' ? 'Sending…' : 'Waiting for the panel…'));
  }

  const state = () => current;

  function paintProgress() {
    steps.replaceChildren(stepper(current));
    grid.replaceChildren(...current.members.map((m) => panelCard(m, { live: true })));
    grid.hidden = current.members.length === 0;
  }

  return {
    start(runState) {
      current = runState;
      section.hidden = false;
      answer.setAttribute('aria-busy', 'true');
      status.hidden = true;
      section.replaceChildren(steps, grid, answerCard);
      paintProgress();
      paintAnswer();
    },
    update(kind) {
      if (!current) return;
      if (kind === 'answer') {
        frame ||= requestAnimationFrame(() => paintAnswer());
      } else {
        paintProgress();
        if (current.phase !== 'streaming' && !current.answer) paintAnswer();
      }
    },
    /** The run ended without a stored turn (stopped or failed): keep what arrived, say why. */
    end(message) {
      if (!current) return;
      if (frame) cancelAnimationFrame(frame);
      paintProgress();
      paintAnswer(true);
      if (!current.answer) answer.replaceChildren(h('p', { class: 'muted' }, 'No answer.'));
      answer.setAttribute('aria-busy', 'false');
      status.textContent = message;
      status.hidden = !message;
    },
    clear() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      current = null;
      section.hidden = true;
      section.replaceChildren();
    },
  };
}
