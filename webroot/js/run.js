// One fused run: sends the chat request, folds the server's stream into a RunState, reports changes.
// Members are matched by label, then by model, never by their position: they finish in any order.
import { streamChat } from './api.js';
import { readEvents } from './sse.js';

/** @returns a fresh RunState */
export function newRunState(judge = null) {
  return {
    phase: 'sending', // sending | panel | debate | pipeline | synthesis | streaming | done | error | stopped
    members: [],
    total: 0,
    completed: 0,
    judge,
    stage: null, // the latest progress payload that is not about one member
    debate: null,
    pipeline: null,
    decision: null, // {kind: 'vote'|'ranked', ...} when the answer was picked, not synthesized
    answer: '',
    analysis: null,
    usage: null,
    error: null,
    errorCode: null,
    done: false, // saw data: [DONE]
  };
}

function newMember(model, label = null) {
  return { model, label, state: 'pending', latency_ms: null, error: null, content: null, usage: null, estimated: false };
}

/** The member an event is about: same label first, then an unlabelled one with the same model. */
function findMember(members, p, usable = () => true) {
  const candidates = members.filter(usable);
  return (p.label != null && candidates.find((m) => m.label === p.label))
    || candidates.find((m) => m.label == null && m.model === p.model)
    || candidates.find((m) => m.model === p.model)
    || null;
}

function memberFor(state, p, usable) {
  let member = findMember(state.members, p, usable);
  if (!member) {
    member = newMember(p.model ?? p.label ?? 'model', p.label ?? null);
    state.members.push(member);
  }
  if (p.label != null) member.label = p.label;
  return member;
}

function onProgress(state, p) {
  switch (p.stage) {
    case 'panel':
      state.members = (Array.isArray(p.models) ? p.models : []).map((model) => newMember(model));
      state.total = p.total ?? state.members.length;
      state.judge = p.judge ?? state.judge;
      state.phase = 'panel';
      return 'progress';
    case 'panel_member': {
      const member = memberFor(state, p, (m) => m.state === 'pending');
      member.state = p.ok ? 'ok' : p.cut ? 'cut' : 'failed';
      member.latency_ms = typeof p.latency_ms === 'number' ? p.latency_ms : member.latency_ms;
      member.error = p.ok ? null : (p.error || (p.cut ? 'Cut as a straggler' : 'Failed'));
      state.completed = p.completed ?? state.members.filter((m) => m.state !== 'pending').length;
      state.total = p.total ?? state.total;
      return 'member';
    }
    case 'debate':
      state.phase = 'debate';
      state.debate = { round: p.round, rounds: p.rounds, completed: 0, total: p.members ?? 0, message: p.message };
      return 'progress';
    case 'debate_member': {
      state.debate ??= { round: p.round, rounds: p.round, completed: 0, total: p.total ?? 0 };
      state.debate.completed = p.completed ?? state.debate.completed + 1;
      state.debate.total = p.total ?? state.debate.total;
      const member = findMember(state.members, p);
      if (member && p.ok) member.revised = p.round;
      return 'member';
    }
    case 'pipeline_step':
      state.phase = 'pipeline';
      state.pipeline = p;
      return 'progress';
    case 'synthesis':
      state.phase = 'synthesis';
      state.stage = p;
      return 'progress';
    case 'vote':
    case 'ranked': {
      state.phase = 'synthesis';
      state.stage = p;
      const winner = p.stage === 'vote' ? p.winner : p.winner_label;
      state.decision = { kind: p.stage, message: p.message, agreement: p.agreement, winner, fallback: p.fallback ?? null };
      const picked = winner != null && findMember(state.members, { label: winner, model: winner }, (m) => m.state === 'ok');
      if (picked) picked.picked = true;
      return 'progress';
    }
    default:
      state.stage = p;
      return 'progress';
  }
}

/** Joins usage.panel[] to the members by label (then model), each entry to one member. */
function joinUsage(state, usage) {
  const taken = new Set();
  for (const entry of Array.isArray(usage?.panel) ? usage.panel : []) {
    const member = findMember(state.members, entry, (m) => !taken.has(m));
    if (!member) continue;
    taken.add(member);
    member.usage = entry.usage ?? null;
    member.estimated = Boolean(entry.estimated);
  }
}

function onChunk(state, chunk) {
  if (chunk?.error) {
    state.error = chunk.error.message || 'The server reported an error.';
    state.errorCode = chunk.error.code ?? null;
    return 'error';
  }
  const choice = chunk?.choices?.[0];
  const text = choice?.delta?.content ?? choice?.message?.content;
  if (chunk?.usage && !state.usage) state.usage = { total: chunk.usage };
  if (typeof text === 'string' && text) {
    state.answer += text;
    state.phase = 'streaming';
    return 'answer';
  }
  return null;
}

/** Applies one SSE event. @returns what changed ('progress', 'member', 'answer', ...) or null */
export function applyEvent(state, event, data) {
  if (data === '[DONE]') {
    state.done = true;
    return null;
  }
  let json;
  try {
    json = JSON.parse(data);
  } catch {
    return null; // one malformed frame should not end the whole answer
  }
  switch (event) {
    case 'progress':
      return onProgress(state, json);
    case 'panel_answer': {
      const member = memberFor(state, json, (m) => m.content == null);
      member.content = typeof json.content === 'string' ? json.content : '';
      return 'member';
    }
    case 'analysis':
      state.analysis = json;
      return 'analysis';
    case 'usage':
      state.usage = json;
      joinUsage(state, json);
      return 'usage';
    default:
      return onChunk(state, json);
  }
}

/**
 * Runs one streamed fusion. Never throws: the outcome is in state.phase ('done', 'error', 'stopped').
 * @param {object} body the chat completion request
 * @param {{state: object, signal: AbortSignal, onChange: (kind: string) => void}} options
 */
export async function runFusion(body, { state, signal, onChange }) {
  let reading = false;
  try {
    const res = await streamChat(body, signal);
    if ((res.headers.get('content-type') || '').includes('text/event-stream') && res.body) {
      reading = true;
      await readEvents(res.body, (event, data) => {
        const kind = applyEvent(state, event, data);
        if (kind) onChange(kind);
      });
    } else {
      const completion = await res.json(); // a server that ignored stream: true
      state.answer = completion?.choices?.[0]?.message?.content ?? '';
      state.usage = completion?.usage ? { total: completion.usage } : null;
    }
    if (!state.error && !state.done && reading) state.error = 'The stream ended before the server finished the answer.';
    if (!state.error && !state.answer) state.error = 'The server returned an empty answer.';
    state.phase = state.error ? 'error' : 'done';
  } catch (err) {
    if (err?.name === 'AbortError') {
      state.phase = 'stopped';
    } else {
      state.phase = 'error';
      state.error = reading ? 'The connection broke before the answer was complete.' : err?.message || String(err);
      state.errorCode = err?.code ?? null;
    }
  }
  onChange('end');
  return state;
}

/** What a completed run stores in the history. */
export function toTurn(state, { prompt, attachments = [], override = null }) {
  return {
    id: globalThis.crypto?.randomUUID?.() ?? `t${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`,
    prompt,
    attachments: attachments.map((a) => ({ name: a.name, kind: a.kind })),
    answer: state.answer,
    panel: state.members.map(({ model, label, state: s, latency_ms: latency, error, content, usage, estimated, picked }) => ({
      model, label, state: s, latency_ms: latency, error, content, usage, estimated, picked: Boolean(picked),
    })),
    judge: state.judge,
    decision: state.decision,
    analysis: state.analysis,
    usage: state.usage,
    override,
    timestamp: Date.now(),
  };
}
