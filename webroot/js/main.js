// The playground's wiring: loads the server's config, keeps the history, runs fusions.
import { $ } from './dom.js';
import * as api from './api.js';
import { userContent } from './attachments.js';
import { estimateLabel } from './format.js';
import { initMarkdown } from './markdown.js';
import { newRunState, runFusion, toTurn } from './run.js';
import { History } from './state/history.js';
import { setLengthCap, settings } from './state/settings.js';
import { initTheme } from './theme.js';
import { createComposer } from './views/composer.js';
import { createKeyCard } from './views/keycard.js';
import { createLiveView } from './views/live.js';
import { createSettingsDialog } from './views/settings.js';
import { createSidebar } from './views/sidebar.js';
import { renderTurn } from './views/turn.js';

const app = { config: null, demo: false, run: null };
const history = new History();
api.useGatewayToken(() => settings.gatewayToken);

const composer = createComposer({ onSubmit: startRun, onStop: stopRun, onChange: scheduleEstimate, onLength: setLength });
const live = createLiveView($('live'));
const sidebar = createSidebar({ onSelect: select, onDelete: remove, onNew: startNew });
const keyCard = createKeyCard({ onSaved: loadConfig });
const settingsDialog = createSettingsDialog({
  getConfig: () => app.config, isDemo: () => app.demo, onToken: loadConfig, onLength: setLength, onKeySaved: loadConfig,
});

function setLength(value) {
  settings.length = value;
  composer.setLength(settings.length);
  scheduleEstimate();
}

function isDemo(config) {
  const models = [...(config.panel ?? []), config.judge].filter((m) => typeof m === 'string');
  return models.length > 0 && models.every((m) => m.startsWith('demo/'));
}

function showBootError(err) {
  const needsToken = err?.status === 401;
  $('boot-error-text').textContent = needsToken
    ? 'This server requires a gateway token. Enter it in Settings; it is kept for this tab only.'
    : `Could not load the server configuration: ${err?.message ?? err}`;
  $('boot-error-settings').hidden = !needsToken;
  $('boot-error').hidden = false;
}

async function loadModelOptions() {
  const config = app.config;
  const ids = new Set([...(config.panel ?? []), config.judge].filter(Boolean));
  for (const preset of Object.values(config.presets ?? {})) {
    (preset.panel ?? []).forEach((m) => ids.add(m));
    if (preset.judge) ids.add(preset.judge);
  }
  try {
    const models = await api.getModels();
    (models?.data ?? []).map((m) => m.id).filter((id) => id && id !== config.fusion_model).forEach((id) => ids.add(id));
  } catch {
    // the datalist is a convenience; the recipe's own models are already in it
  }
  composer.setModelOptions([...ids].sort());
}

async function loadConfig() {
  try {
    app.config = await api.getConfig();
  } catch (err) {
    showBootError(err);
    return;
  }
  $('boot-error').hidden = true;
  app.demo = isDemo(app.config);
  $('demo-notice').hidden = !app.demo;
  setLengthCap(app.config.max_override_tokens ?? null);
  composer.setConfig(app.config, { isDemo: app.demo });
  keyCard.update(app.config);
  settingsDialog.refresh();
  scheduleEstimate();
  await loadModelOptions();
}

function renderThread() {
  const conversation = history.active();
  const turns = conversation?.turns ?? [];
  $('thread').replaceChildren(...turns.map((turn) => renderTurn(turn, { onBranch: (t) => branch(conversation.id, t.id) })));
  $('empty-state').hidden = turns.length > 0 || !$('live').hidden;
  composer.setPlaceholder(turns.length > 0);
  sidebar.render(history.list(), history.activeId);
}

/** Earlier turns go back as plain user / assistant text; attachments are not kept in the history. */
function messagesFor(conversation, prompt, attachments) {
  const messages = [];
  for (const turn of conversation?.turns ?? []) {
    messages.push({ role: 'user', content: turn.prompt }, { role: 'assistant', content: turn.answer });
  }
  messages.push({ role: 'user', content: userContent(prompt, attachments) });
  return messages;
}

let estimateTimer = 0;
let estimateController = null;

function scheduleEstimate() {
  clearTimeout(estimateTimer);
  estimateTimer = setTimeout(runEstimate, 500);
}

async function runEstimate() {
  estimateController?.abort();
  const prompt = composer.prompt();
  const files = composer.attachments().filter((a) => a.kind === 'text'); // images do not count as input tokens
  if (!app.config || app.run || (!prompt && !files.length)) {
    composer.setEstimate('');
    return;
  }
  const controller = new AbortController();
  estimateController = controller;
  const body = { model: app.config.fusion_model || 'openfusion', messages: messagesFor(history.active(), prompt, files) };
  const override = composer.override({ length: settings.length, forEstimate: true });
  if (override) body.openfusion = override;
  try {
    const estimate = await api.estimate(body, controller.signal);
    if (estimateController === controller) composer.setEstimate(estimateLabel(estimate));
  } catch {
    if (estimateController === controller) composer.setEstimate('');
  }
}

async function startRun({ prompt, attachments }) {
  if (app.run) return;
  const conversation = history.active();
  const override = composer.override({ length: settings.length });
  const body = { model: app.config?.fusion_model || 'openfusion', stream: true, messages: messagesFor(conversation, prompt, attachments) };
  if (override) body.openfusion = override;
  const state = newRunState(override?.judge ?? app.config?.judge ?? null);
  const run = { controller: new AbortController(), conversationId: conversation?.id ?? null, left: false };
  app.run = run;
  estimateController?.abort();
  composer.clearInput();
  composer.setEstimate('');
  composer.setBusy(true);
  $('empty-state').hidden = true;
  live.start(state);
  await runFusion(body, { state, signal: run.controller.signal, onChange: (kind) => live.update(kind) });
  app.run = null;
  composer.setBusy(false);
  if (run.left) return; // the user moved to another conversation, which stopped this run
  if (state.phase === 'done') {
    const saved = history.addTurn(run.conversationId, toTurn(state, { prompt, attachments, override }));
    if (!saved.ok) sidebar.say('The browser storage is full: this conversation is not saved.');
    else if (saved.dropped) sidebar.say(`The browser storage was full: removed ${saved.dropped} old conversation${saved.dropped === 1 ? '' : 's'}.`);
    live.clear();
    renderThread();
    $('thread').lastElementChild?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  } else {
    live.end(state.phase === 'stopped'
      ? 'Stopped. Nothing was saved; your prompt is back in the box.'
      : `Error: ${state.error}${/[.!?]$/.test(state.error) ? '' : '.'} Nothing was saved; your prompt is back in the box.`);
    composer.restore(prompt, attachments);
  }
  scheduleEstimate();
}

function stopRun() {
  app.run?.controller.abort();
}

/** Leaving the conversation a run belongs to stops that run. */
function leaveRun() {
  if (!app.run) return;
  app.run.left = true;
  app.run.controller.abort();
}

function show() {
  live.clear();
  renderThread();
  scheduleEstimate();
}

function select(id) {
  if (id === history.activeId) return;
  leaveRun();
  history.setActive(id);
  show();
}

function remove(id) {
  if (app.run?.conversationId === id) leaveRun();
  const wasActive = history.activeId === id;
  history.remove(id);
  if (wasActive) show();
  else renderThread();
}

function startNew() {
  leaveRun();
  history.setActive(null);
  show();
  composer.focus();
}

function branch(conversationId, turnId) {
  leaveRun();
  const result = history.branch(conversationId, turnId);
  if (result && !result.ok) sidebar.say('The browser storage is full: the branch is not saved.');
  show();
}

async function boot() {
  initTheme();
  composer.setLength(settings.length);
  $('open-settings').addEventListener('click', () => settingsDialog.open());
  $('boot-error-settings').addEventListener('click', () => settingsDialog.open({ focusToken: true }));
  $('boot-error-retry').addEventListener('click', loadConfig);
  renderThread();
  await Promise.all([initMarkdown().then(renderThread), loadConfig()]);
  document.body.dataset.ready = 'true';
}

boot();
