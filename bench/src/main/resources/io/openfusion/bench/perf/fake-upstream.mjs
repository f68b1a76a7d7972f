// The perf fake upstream as a Node process (`bench perf --fake-runtime node`): the same answers, timing, usage and
// failures as FakeUpstream, built the way a provider written in Node would build them. Every request body is parsed
// and every chunk is an object serialized on its own. It takes FakeUpstreamOptions' fields as arguments, in order,
// prints "fake-upstream-port <port>" once it listens, and exits when its standard input closes.
import http from 'node:http';

const [host, port, ttftMs, interTokenMs, tokens, jsonLatencyMs, failRate, failStatus, , seed] = process.argv.slice(2);
const TTFT = Number(ttftMs);
const ITL = Number(interTokenMs);
const TOKENS = Number(tokens);
const JSON_LATENCY = Number(jsonLatencyMs) < 0 ? TTFT + (TOKENS - 1) * ITL : Number(jsonLatencyMs);
const FAIL_RATE = Number(failRate);
const PROMPT_PRICE = 0.0000001;
const COMPLETION_PRICE = 0.0000004;
const WORDS = ['Fusion ', 'answers ', 'are ', 'simulated ', 'here ', 'so ', 'the ', 'proxy ', 'overhead ', 'can ', 'be ',
  'measured ', 'against ', 'a ', 'fixed ', 'upstream ', 'latency ', 'profile ', 'with ', 'every ', 'token ', 'paced ',
  'by ', 'timers. '];

// a small seeded generator, so failure draws repeat from run to run
let state = (Number(seed) >>> 0) || 42;
function random() {
  state = (state * 1664525 + 1013904223) >>> 0;
  return state / 4294967296;
}

function usage(promptTokens) {
  return {
    prompt_tokens: promptTokens, completion_tokens: TOKENS, total_tokens: promptTokens + TOKENS,
    cost: promptTokens * PROMPT_PRICE + TOKENS * COMPLETION_PRICE,
  };
}

function chunk(model, delta, finishReason) {
  return {
    id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1700000000, model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

function stream(res, model, promptTokens, includeUsage) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let next = 0;
  let timer = null;
  res.on('close', () => clearTimeout(timer));
  const tick = () => {
    timer = null;
    if (res.destroyed) {
      return;
    }
    const delta = next === 0 ? { role: 'assistant', content: WORDS[next % WORDS.length] } : { content: WORDS[next % WORDS.length] };
    let frame = `data: ${JSON.stringify(chunk(model, delta, null))}\n\n`;
    next++;
    if (next === TOKENS) {
      frame += `data: ${JSON.stringify(chunk(model, {}, 'stop'))}\n\n`;
      if (includeUsage) {
        const last = chunk(model, {}, null);
        last.choices = [];
        last.usage = usage(promptTokens);
        frame += `data: ${JSON.stringify(last)}\n\n`;
      }
      res.end(frame + 'data: [DONE]\n\n');
      return;
    }
    res.write(frame);
    timer = setTimeout(tick, ITL);
  };
  timer = setTimeout(tick, TTFT);
}

function complete(res, model, promptTokens) {
  let content = '';
  for (let i = 0; i < TOKENS; i++) {
    content += WORDS[i % WORDS.length];
  }
  const body = JSON.stringify({
    id: 'chatcmpl-fake', object: 'chat.completion', created: 1700000000, model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: usage(promptTokens),
  });
  const timer = setTimeout(() => {
    if (!res.destroyed) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }
  }, JSON_LATENCY);
  res.on('close', () => clearTimeout(timer));
}

const server = http.createServer((req, res) => {
  if (!req.url.endsWith('/chat/completions')) {
    res.writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error', code: 'not_found' } }));
    return;
  }
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', () => {
    const raw = Buffer.concat(parts);
    if (FAIL_RATE > 0 && random() < FAIL_RATE) {
      res.writeHead(Number(failStatus), { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'simulated failure', type: 'server_error', code: 'simulated' } }));
      return;
    }
    let request;
    try {
      request = JSON.parse(raw.toString('utf8'));
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'invalid JSON', type: 'invalid_request_error', code: 'invalid_json' } }));
      return;
    }
    const model = typeof request.model === 'string' ? request.model : 'fake/model';
    const promptTokens = Math.max(1, Math.floor(raw.length / 4));
    if (request.stream === true) {
      stream(res, model, promptTokens, request.stream_options?.include_usage === true);
    } else {
      complete(res, model, promptTokens);
    }
  });
});
server.keepAliveTimeout = 0;
server.headersTimeout = 0;
server.requestTimeout = 0;
server.listen(Number(port), host, () => {
  process.stdout.write(`fake-upstream-port ${server.address().port}\n`);
});
process.stdin.on('data', () => {});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
