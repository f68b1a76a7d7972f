// How numbers look in the playground.

export function formatTokens(n) {
  return `${Number(n || 0).toLocaleString('en-US')} tokens`;
}

/** Dollars: two decimals from a cent up, four below, two significant digits for fractions of that. */
export function formatCost(usd) {
  if (typeof usd !== 'number' || !Number.isFinite(usd) || usd < 0) return '';
  if (usd === 0 || usd >= 0.01) return `$${usd.toFixed(2)}`;
  if (usd >= 0.0001) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(Math.min(10, 1 - Math.floor(Math.log10(usd))))}`;
}

export function formatLatency(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function totalTokens(usage) {
  if (!usage || typeof usage !== 'object') return null;
  if (typeof usage.total_tokens === 'number') return usage.total_tokens;
  const sum = (usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0);
  return sum || null;
}

/** "≈ 4 calls · ~$0.0123", or the input token count when the server has no prices. */
export function estimateLabel(e) {
  if (!e || typeof e.calls !== 'number') return '';
  const calls = `≈ ${e.calls} call${e.calls === 1 ? '' : 's'}`;
  if (typeof e.cost_usd === 'number') return `${calls} · ~${formatCost(e.cost_usd)}`;
  return `${calls} · ~${Number(e.input_tokens || 0).toLocaleString('en-US')} in-tok`;
}

export function formatTime(timestamp) {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function humanise(key) {
  const words = String(key).replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
