// The usage bar: total tokens, cost, and who spent them.
import { h } from '../dom.js';
import { formatCost, formatTokens, totalTokens } from '../format.js';

export function usageText(usage) {
  if (!usage || typeof usage !== 'object') return '';
  const total = usage.total ?? usage.usage ?? usage;
  const tokens = totalTokens(total);
  if (tokens == null) return '';
  const parts = [formatTokens(tokens)];
  const cost = formatCost(total.cost);
  if (cost) parts.push(cost);
  const members = Array.isArray(usage.panel) ? usage.panel.length : 0;
  const who = [];
  if (members) who.push(`${members} panel member${members === 1 ? '' : 's'}`);
  if (usage.ranker) who.push('ranker');
  if (usage.judge) who.push('judge');
  if (who.length) parts.push(who.join(' + '));
  if (usage.cached) parts.push('cached');
  return parts.join(' · ');
}

export function usageBar(usage) {
  const text = usageText(usage);
  return text ? h('p', { class: 'usage-bar' }, h('span', { class: 'usage-icon', 'aria-hidden': 'true' }, 'Σ'), h('span', { class: 'usage-text' }, text)) : null;
}
