// One panel member's card: its answer (sanitized Markdown), latency, tokens and cost, or why it failed.
import { h } from '../dom.js';
import { formatCost, formatLatency, totalTokens } from '../format.js';
import { renderMarkdown } from '../markdown.js';

const STATE_TEXT = { pending: 'waiting…', ok: 'answered', failed: 'failed', cut: 'cut (straggler)' };

export function memberName(member) {
  return member.label && member.label !== member.model ? `${member.label} · ${member.model}` : member.model;
}

/** "912 ms · 345 tokens · $0.0001" from whatever is known. */
export function memberMeta(member) {
  const parts = [];
  if (member.latency_ms != null) parts.push(formatLatency(member.latency_ms));
  const tokens = totalTokens(member.usage);
  if (tokens != null) parts.push(`${tokens.toLocaleString('en-US')} tokens${member.estimated ? ' (estimated)' : ''}`);
  const cost = formatCost(member.usage?.cost);
  if (cost) parts.push(cost);
  return parts.join(' · ');
}

export function panelCard(member, { live = false } = {}) {
  const body = h('div', { class: 'md panel-body' });
  if (member.content != null) {
    renderMarkdown(body, member.content);
  } else if (member.state === 'ok') {
    body.append(h('p', { class: 'muted' }, live ? 'Answered.' : 'This server does not share panel answers (expose_panel is off).'));
  } else if (member.state === 'pending') {
    body.append(h('p', { class: 'muted' }, 'Waiting for the answer…'));
  } else {
    body.append(h('p', { class: 'error-text' }, member.error || STATE_TEXT[member.state]));
  }
  const meta = memberMeta(member);
  return h('article', {
    class: 'panel-card',
    dataset: { model: member.model, label: member.label ?? '', state: member.state },
  },
  h('header', { class: 'panel-card-head' },
    h('h4', { class: 'panel-card-title' }, memberName(member)),
    h('span', { class: `state-pill ${member.state}` }, member.picked ? 'picked' : STATE_TEXT[member.state] ?? member.state)),
  meta ? h('p', { class: 'panel-meta muted' }, meta) : null,
  body);
}
