// The only way the playground talks to a server: its own origin's /v1 API. The gateway token, when one
// is set, goes on EVERY call as a Bearer token. Provider keys are only ever sent to /v1/runtime/api-key.

const BASE = new URL('../../v1/', import.meta.url);

export const UNREACHABLE = "Couldn't reach the openfusion server. Open the page that the running server serves "
  + '(for example http://localhost:8000/playground/), not a saved file or a different port.';

export class ApiError extends Error {
  constructor(message, status = 0, code = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

let tokenOf = () => '';

/** Where the gateway token comes from; read on every call so a new token applies at once. */
export function useGatewayToken(source) {
  tokenOf = source;
}

async function errorFrom(res) {
  try {
    const body = await res.json();
    const error = body?.error;
    return new ApiError(error?.message || body?.detail || `Request failed (${res.status})`, res.status, error?.code ?? null);
  } catch {
    return new ApiError(`Request failed (${res.status})`, res.status);
  }
}

/** A fetch against /v1; throws ApiError for a non-2xx answer or an unreachable server. */
export async function call(path, { method = 'GET', body, signal, accept = 'application/json', extraHeaders = {} } = {}) {
  const headers = { accept, ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = (tokenOf() || '').trim();
  if (token) headers.authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(new URL(path, BASE), {
      method, headers, signal, cache: 'no-store', credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new ApiError(UNREACHABLE, 0, 'unreachable');
  }
  if (!res.ok) throw await errorFrom(res);
  return res;
}

async function json(path, options) {
  return (await call(path, options)).json();
}

export const getConfig = () => json('config');
export const getModels = () => json('models');
export const estimate = (body, signal) => json('estimate', { method: 'POST', body, signal });
export const setRuntimeKey = (apiKey) => json('runtime/api-key', { method: 'POST', body: { api_key: apiKey } });
/**
 * Starts a streamed chat completion; the caller reads the body as server-sent events. The playground opts in to
 * openfusion's named events (progress, panel answers, analysis, usage), which plain OpenAI clients do not get.
 */
export const streamChat = (body, signal) => call('chat/completions', {
  method: 'POST', body, signal, accept: 'text/event-stream', extraHeaders: { 'x-openfusion-events': 'on' },
});
