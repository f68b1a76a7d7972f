// "Active server": what /v1/config says this server runs.
import { h } from '../dom.js';

export function serverSummary(config, { demo = false } = {}) {
  if (!config) return [h('dt', null, 'Server'), h('dd', null, 'Not loaded yet')];
  const panel = Array.isArray(config.panel) ? config.panel : [];
  const rows = [
    ['Mode', demo ? 'Demo (simulated models)' : 'Live'],
    ['Strategy', `${config.strategy ?? '—'} · ${config.aggregator ?? '—'}`],
    ['Panel', `${panel.length} model${panel.length === 1 ? '' : 's'}${panel.length ? `: ${panel.join(', ')}` : ''}`],
    ['Judge', config.judge ?? 'none'],
    ['Web search', config.tools?.web_search ? 'on' : 'off'],
    ['Overrides', config.allow_request_overrides ? 'on (the panel is editable here)' : 'off (fixed recipe)'],
    ['UI key', config.allow_ui_api_key ? (config.api_key_set ? 'allowed · set' : 'allowed') : 'off'],
    ['Model name', config.fusion_model ?? 'openfusion'],
  ];
  return rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]);
}
