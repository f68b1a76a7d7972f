// A completed turn: the prompt (with Branch), the fused answer (with Copy), the usage bar, the panel
// answers side by side and the judge's analysis.
import { h } from '../dom.js';
import { formatTime } from '../format.js';
import { renderMarkdown } from '../markdown.js';
import { analysisCard } from './analysis.js';
import { panelCard } from './panel.js';
import { usageBar } from './usage.js';

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // no clipboard API or no permission: the old way still works in most browsers
    const area = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

function copyButton(text) {
  const button = h('button', { class: 'button small ghost copy', type: 'button' }, 'Copy');
  let timer = 0;
  button.addEventListener('click', async () => {
    const ok = await copyText(text);
    button.textContent = ok ? 'Copied' : 'Copy failed';
    clearTimeout(timer);
    timer = setTimeout(() => { button.textContent = 'Copy'; }, 1500);
  });
  return button;
}

function panelSection(turn) {
  const members = Array.isArray(turn.panel) ? turn.panel : [];
  if (!members.length) return null;
  const label = (open) => `${open ? 'Hide' : 'Show'} ${members.length} panel answer${members.length === 1 ? '' : 's'}`;
  const summary = h('summary', null, label(false));
  const columns = Math.min(3, members.length);
  const details = h('details', { class: 'panel-answers' }, summary,
    h('div', { class: `panel-grid cols-${columns}` }, members.map((m) => panelCard(m))));
  details.addEventListener('toggle', () => { summary.textContent = label(details.open); });
  return details;
}

function decisionNote(turn) {
  const d = turn.decision;
  if (!d) return null;
  if (d.kind === 'vote') {
    const pct = typeof d.agreement === 'number' ? ` (${Math.round(d.agreement * 100)}% agreement)` : '';
    return h('p', { class: 'muted small-text' }, `Picked by majority vote${pct}${d.winner ? `: ${d.winner}` : ''}.`);
  }
  return h('p', { class: 'muted small-text' },
    `Picked by the ranker${d.winner ? `: ${d.winner}` : ''}${d.fallback ? ` (fallback: ${d.fallback})` : ''}.`);
}

/**
 * @param {object} turn a stored turn
 * @param {{onBranch: (turn) => void}} actions
 */
export function renderTurn(turn, { onBranch }) {
  const answer = h('div', { class: 'md answer-body' });
  renderMarkdown(answer, turn.answer);
  const files = (turn.attachments ?? []).map((a) => h('li', null, `${a.kind === 'image' ? 'image' : 'file'}: ${a.name}`));
  return h('article', { class: 'turn', dataset: { turnId: turn.id } },
    h('div', { class: 'user-row' },
      h('button', {
        class: 'button small ghost branch', type: 'button', title: 'Start a new conversation from this turn',
        onclick: () => onBranch(turn),
      }, 'Branch'),
      h('div', { class: 'bubble' }, h('p', { class: 'prewrap' }, turn.prompt),
        files.length ? h('ul', { class: 'bubble-files' }, files) : null)),
    h('section', { class: 'card answer-card' },
      h('header', { class: 'card-head' }, h('h3', null, 'Fused answer'), copyButton(turn.answer)),
      answer,
      decisionNote(turn)),
    usageBar(turn.usage),
    panelSection(turn),
    analysisCard(turn.analysis),
    h('p', { class: 'turn-time muted small-text' }, h('time', { datetime: new Date(turn.timestamp).toISOString() }, formatTime(turn.timestamp))));
}
