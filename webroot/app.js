// openfusion starter playground: plain ES module, no build step, no third-party code.
// Model output is only ever written with textContent, never parsed as HTML.

const UNREACHABLE = "Couldn't reach the openfusion server. Open the page that the running server " +
  'serves (e.g. http://localhost:8000/playground/), not a static file or a different port.';

/**
 * Incremental SSE parser. Feed it decoded text as it arrives; it calls onEvent(name, data) per
 * complete event. CRLF is normalised, multi-line data is joined with "\n", comments are skipped.
 */
export function createSseParser(onEvent) {
  let buffer = '';
  let carry = ''; // a trailing "\r" may be the first half of a CRLF split across reads

  function dispatch(block) {
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) onEvent(event, data.join('\n'));
  }

  return {
    push(text) {
      let raw = carry + text;
      carry = raw.endsWith('\r') ? '\r' : '';
      if (carry) raw = raw.slice(0, -1);
      buffer += raw.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(block);
      }
    },
    // Servers may close without a final blank line; whatever is left is the last event.
    flush() {
      const rest = (buffer + carry.replace('\r', '\n')).trim();
      buffer = carry = '';
      if (rest) dispatch(rest);
    },
  };
}

function formatUsage(u) {
  if (!u || typeof u !== 'object') return '';
  const total = u.total_tokens ?? ((u.prompt_tokens ?? 0) + (u.completion_tokens ?? 0));
  let text = `${Number(total).toLocaleString()} tokens`;
  if (typeof u.cost === 'number') text += ` · $${u.cost < 0.01 ? u.cost.toFixed(4) : u.cost.toFixed(2)}`;
  return text;
}

function humanise(key) {
  const words = key.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function init() {
  const $ = (id) => document.getElementById(id);
  const api = new URL('../v1/', window.location.href); // works at /playground and /playground/
  const ui = {
    prompt: $('prompt'), form: $('composer'), fuse: $('fuse'), stop: $('stop'),
    run: $('run'), stage: $('stage'), members: $('members'), error: $('error'),
    answer: $('answer'), usage: $('usage'), panel: $('panel-answers'), panelList: $('panel-list'),
    analysis: $('analysis'), analysisList: $('analysis-list'),
  };
  let config = null;
  let controller = null;
  let members = [];

  async function errorMessage(res) {
    try {
      const body = await res.json();
      return body?.error?.message || body?.detail || `Request failed (${res.status})`;
    } catch {
      return `Request failed (${res.status})`;
    }
  }

  async function loadConfig() {
    const status = $('recipe-status');
    try {
      const res = await fetch(new URL('config', api), { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(await errorMessage(res));
      config = await res.json();
    } catch (err) {
      status.textContent = err instanceof TypeError ? UNREACHABLE : `Could not load the configuration: ${err.message}`;
      return;
    }
    status.hidden = true;
    $('recipe').hidden = false;
    $('recipe-strategy').textContent = config.strategy ?? '—';
    $('recipe-aggregator').textContent = config.aggregator ?? '—';
    $('recipe-judge').textContent = config.judge ?? 'none';
    $('recipe-model').textContent = config.fusion_model || 'openfusion';
    const panel = Array.isArray(config.panel) ? config.panel : [];
    const list = $('recipe-panel');
    list.replaceChildren(...panel.map((m) => Object.assign(document.createElement('li'), { textContent: m })));
    if (!panel.length) list.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'none' }));
    const models = [...panel, config.judge].filter((m) => typeof m === 'string');
    $('demo-notice').hidden = !models.some((m) => m.startsWith('demo/'));
    $('key-notice').hidden = !config.needs_api_key;
  }

  function setBusy(busy) {
    ui.fuse.disabled = busy;
    ui.stop.disabled = !busy;
    ui.fuse.textContent = busy ? 'Fusing…' : 'Fuse';
    ui.answer.setAttribute('aria-busy', String(busy));
  }

  function showError(message) {
    ui.error.textContent = message;
    ui.error.hidden = false;
  }

  function resetRun() {
    ui.run.hidden = false;
    ui.stage.textContent = 'Sending…';
    ui.members.replaceChildren();
    ui.error.hidden = true;
    ui.answer.textContent = '';
    ui.usage.hidden = true;
    ui.panel.hidden = true;
    ui.panelList.replaceChildren();
    ui.analysis.hidden = true;
    ui.analysisList.replaceChildren();
    members = [];
  }

  function setMember(entry, state) {
    entry.state = state;
    entry.el.className = `chip ${state}`;
    entry.el.textContent = `${entry.model} — ${{ pending: 'waiting', ok: 'answered', failed: 'failed' }[state]}`;
  }

  function onProgress(p) {
    if (p.stage === 'panel') {
      members = (p.models || []).map((model) => ({ model, el: document.createElement('li') }));
      members.forEach((m) => setMember(m, 'pending'));
      ui.members.replaceChildren(...members.map((m) => m.el));
      ui.stage.textContent = p.message || `Querying ${members.length} models`;
    } else if (p.stage === 'panel_member') {
      // Self-fusion repeats one model id, so take the first still-waiting entry with that name.
      const entry = members.find((m) => m.model === p.model && m.state === 'pending');
      if (entry) setMember(entry, p.ok ? 'ok' : 'failed');
      const failed = members.filter((m) => m.state === 'failed').length;
      ui.stage.textContent = `Querying panel — ${p.completed}/${p.total} answered${failed ? ` · ${failed} failed` : ''}`;
    } else if (p.message) {
      ui.stage.textContent = p.message; // synthesis, vote, ranked, or anything newer
    }
  }

  function onPanelAnswer(a) {
    const item = document.createElement('article');
    const title = document.createElement('h3');
    title.textContent = a.label && a.label !== a.model ? `${a.model} (${a.label})` : (a.model || a.label || 'model');
    const body = document.createElement('p');
    body.className = 'answer';
    body.textContent = a.content ?? '';
    item.append(title, body);
    ui.panelList.append(item);
    ui.panel.hidden = false;
    ui.panel.querySelector('summary').textContent = `Panel answers (${ui.panelList.childElementCount})`;
  }

  function onAnalysis(obj) {
    const rows = [];
    for (const [key, value] of Object.entries(obj || {})) {
      const dt = Object.assign(document.createElement('dt'), { textContent: key === 'raw' ? 'Analysis' : humanise(key) });
      const dd = document.createElement('dd');
      if (Array.isArray(value)) {
        const ul = document.createElement('ul');
        value.forEach((v) => ul.append(Object.assign(document.createElement('li'), { textContent: String(v) })));
        dd.append(value.length ? ul : 'none');
      } else {
        dd.textContent = typeof value === 'string' ? value : JSON.stringify(value);
      }
      rows.push(dt, dd);
    }
    ui.analysisList.replaceChildren(...rows);
    ui.analysis.hidden = rows.length === 0;
  }

  function onUsage(u) {
    const text = formatUsage(u);
    if (!text) return;
    ui.usage.textContent = text;
    ui.usage.hidden = false;
  }

  function onChunk(chunk) {
    if (chunk.error) {
      showError(chunk.error.message || 'The server reported an error.');
      return;
    }
    const choice = chunk.choices?.[0];
    const text = choice?.delta?.content ?? choice?.message?.content;
    if (typeof text === 'string' && text) ui.answer.append(text); // a text node, never HTML
    if (chunk.usage && ui.usage.hidden) onUsage(chunk.usage); // pass-through include_usage
  }

  function onEvent(event, data) {
    if (data === '[DONE]') return;
    let json;
    try {
      json = JSON.parse(data);
    } catch {
      return; // a malformed frame should not kill the whole answer
    }
    if (event === 'progress') onProgress(json);
    else if (event === 'panel_answer') onPanelAnswer(json);
    else if (event === 'analysis') onAnalysis(json);
    else if (event === 'usage') onUsage(json.total || json.usage || json);
    else onChunk(json);
  }

  async function readStream(body) {
    const parser = createSseParser(onEvent);
    const reader = body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
    parser.flush();
  }

  async function fuse() {
    const content = ui.prompt.value.trim();
    if (!content || controller) return;
    resetRun();
    controller = new AbortController();
    setBusy(true);
    let reached = false;
    try {
      const res = await fetch(new URL('chat/completions', api), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({
          model: config?.fusion_model || 'openfusion',
          messages: [{ role: 'user', content }],
          stream: true,
        }),
        signal: controller.signal,
      });
      reached = true;
      if (!res.ok) {
        showError(await errorMessage(res));
        ui.stage.textContent = 'Failed.';
        return;
      }
      if ((res.headers.get('content-type') || '').includes('text/event-stream') && res.body) {
        await readStream(res.body);
      } else {
        onEvent('message', await res.text()); // a server that ignored stream:true
      }
      if (ui.error.hidden) ui.stage.textContent = 'Done.';
    } catch (err) {
      if (err.name === 'AbortError') ui.stage.textContent = 'Stopped.';
      else showError(!reached && err instanceof TypeError ? UNREACHABLE : `Stream interrupted: ${err.message}`);
    } finally {
      controller = null;
      setBusy(false);
    }
  }

  ui.form.addEventListener('submit', (e) => {
    e.preventDefault();
    fuse();
  });
  ui.prompt.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      ui.form.requestSubmit();
    }
  });
  ui.stop.addEventListener('click', () => controller?.abort());
  loadConfig();
}

if (typeof document !== 'undefined') init();
