// The judge's analysis: consensus, contradictions, partial coverage, unique insights, blind spots.
import { h } from '../dom.js';
import { humanise } from '../format.js';

const ORDER = ['consensus', 'contradictions', 'partial_coverage', 'unique_insights', 'blind_spots'];

function value(v) {
  if (Array.isArray(v)) {
    return v.length ? h('ul', null, v.map((item) => h('li', null, typeof item === 'string' ? item : JSON.stringify(item))))
      : h('p', { class: 'muted' }, 'None.');
  }
  if (v && typeof v === 'object') return h('pre', { class: 'raw' }, JSON.stringify(v, null, 2));
  return h('p', { class: 'prewrap' }, v == null || v === '' ? '—' : String(v));
}

/** @returns the analysis card, or null when there is nothing to show */
export function analysisCard(analysis) {
  if (!analysis || typeof analysis !== 'object') return null;
  const keys = Object.keys(analysis).sort((a, b) => {
    const ia = ORDER.indexOf(a) < 0 ? ORDER.length : ORDER.indexOf(a);
    const ib = ORDER.indexOf(b) < 0 ? ORDER.length : ORDER.indexOf(b);
    return ia - ib;
  });
  if (!keys.length) return null;
  const rows = keys.flatMap((key) => [
    h('dt', null, key === 'raw' ? 'Analysis' : humanise(key)),
    h('dd', null, key === 'raw' ? h('p', { class: 'prewrap' }, String(analysis.raw)) : value(analysis[key])),
  ]);
  return h('details', { class: 'card analysis-card', open: true },
    h('summary', null, 'Analysis — consensus, contradictions, blind spots'),
    h('dl', { class: 'analysis' }, rows));
}
