// The composer: recipe tabs, editable model chips, the judge chip, web search, response length,
// attachments, the live estimate and the Fuse / Stop buttons.
import { $, h } from '../dom.js';
import { ACCEPT, readAttachment } from '../attachments.js';
import { fillLengthOptions } from '../state/settings.js';

/** The server refuses more panel members than this in an override. */
export const MAX_PANEL = 6;

const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function initialTab(config) {
  const presets = config.presets ?? {};
  if (config.preset && presets[config.preset]) return config.preset;
  for (const [name, preset] of Object.entries(presets)) {
    if (sameList(preset.panel ?? [], config.panel ?? []) && (preset.judge ?? null) === (config.judge ?? null)) return name;
  }
  return 'custom';
}

function sizeText(bytes) {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * @param {{onSubmit: Function, onStop: Function, onChange: Function, onLength: Function}} handlers
 */
export function createComposer({ onSubmit, onStop, onChange, onLength }) {
  const el = {
    form: $('composer'), tabs: $('recipe-tabs'), chips: $('panel-chips'), add: $('add-model'), judge: $('judge-input'),
    fixed: $('fixed-note'), demoNote: $('demo-tabs-note'), prompt: $('prompt'), files: $('file-input'),
    fileList: $('attachment-list'), fileError: $('attachment-error'), web: $('web-search'), length: $('length-select'),
    estimate: $('estimate'), stop: $('stop'), fuse: $('fuse'), status: $('composer-status'),
  };
  let config = null;
  let demo = false;
  let dirty = false;
  let panel = [];
  let judge = '';
  let webSearch = false;
  let tab = 'custom';
  let attachments = [];
  let busy = false;

  const editable = () => Boolean(config?.allow_request_overrides);
  const changed = () => onChange?.();

  function renderTabs() {
    for (const radio of el.tabs.querySelectorAll('input[name="recipe"]')) {
      radio.checked = radio.value === tab;
      const preset = radio.value !== 'custom';
      radio.disabled = !editable() || (preset && (demo || !config?.presets?.[radio.value]));
    }
    el.demoNote.hidden = !(demo && editable());
    el.fixed.hidden = !config || editable();
  }

  function renderChips() {
    const canEdit = editable();
    el.chips.replaceChildren(...panel.map((model, i) => {
      if (!canEdit) return h('li', { class: 'chip', dataset: { model } }, model);
      const input = h('input', {
        list: 'model-options', value: model, autocomplete: 'off', spellcheck: 'false', 'aria-label': `Panel model ${i + 1}`,
        size: Math.max(8, Math.min(28, model.length + 1)),
        oninput: (e) => { panel[i] = e.target.value; dirty = true; changed(); },
      });
      const remove = h('button', {
        class: 'chip-remove', type: 'button', 'aria-label': `Remove panel model ${i + 1}`, title: 'Remove',
        disabled: panel.length <= 1, onclick: () => removeModel(i),
      }, '×');
      return h('li', { class: 'chip editable' }, input, remove);
    }));
    el.add.hidden = !canEdit;
    el.add.disabled = panel.length >= MAX_PANEL;
    el.judge.value = judge;
    el.judge.readOnly = !canEdit;
    el.web.checked = webSearch;
    el.web.disabled = !canEdit;
    el.length.disabled = !canEdit;
  }

  function render() {
    renderTabs();
    renderChips();
  }

  function removeModel(i) {
    panel.splice(i, 1);
    tab = 'custom';
    dirty = true;
    render();
    el.chips.querySelectorAll('input')[Math.min(i, panel.length - 1)]?.focus();
    changed();
  }

  function renderAttachments() {
    el.fileList.replaceChildren(...attachments.map((a, i) => h('li', { class: 'attachment' },
      a.kind === 'image' ? h('img', { src: a.dataUrl, alt: '', class: 'thumb' }) : h('span', { class: 'muted' }, 'file'),
      h('span', { class: 'attachment-name' }, `${a.name} (${sizeText(a.size)})`),
      h('button', {
        class: 'chip-remove', type: 'button', 'aria-label': `Remove attachment ${a.name}`,
        onclick: () => { attachments.splice(i, 1); renderAttachments(); changed(); },
      }, '×'))));
  }

  async function addFiles(fileList) {
    const errors = [];
    for (const file of fileList) {
      try {
        attachments.push(await readAttachment(file));
      } catch (err) {
        errors.push(err.message);
      }
    }
    el.fileError.textContent = errors.map((m) => `Error: ${m}`).join(' ');
    el.fileError.hidden = errors.length === 0;
    renderAttachments();
    changed();
  }

  el.files.accept = ACCEPT;
  fillLengthOptions(el.length);
  el.tabs.addEventListener('change', (e) => {
    const value = e.target.value;
    tab = value;
    const preset = config?.presets?.[value];
    if (preset) {
      panel = [...(preset.panel ?? [])];
      judge = preset.judge ?? judge;
      webSearch = true;
      dirty = true;
    }
    render();
    changed();
  });
  el.add.addEventListener('click', () => {
    if (panel.length >= MAX_PANEL) return;
    panel.push('');
    tab = 'custom';
    dirty = true;
    render();
    el.chips.querySelectorAll('input')[panel.length - 1]?.focus();
    changed();
  });
  el.judge.addEventListener('input', () => { judge = el.judge.value; dirty = true; changed(); });
  el.web.addEventListener('change', () => { webSearch = el.web.checked; dirty = true; changed(); });
  el.length.addEventListener('change', () => { onLength?.(Number(el.length.value)); changed(); });
  el.prompt.addEventListener('input', changed);
  el.files.addEventListener('change', async () => {
    const files = [...el.files.files];
    el.files.value = '';
    await addFiles(files);
  });
  el.prompt.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      el.form.requestSubmit();
    } else if (e.key === 'Escape' && busy) {
      onStop();
    }
  });
  el.stop.addEventListener('click', () => onStop());
  el.form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (busy) return;
    const prompt = el.prompt.value.trim();
    if (!prompt && !attachments.length) {
      el.status.textContent = 'Type a prompt first.';
      el.prompt.focus();
      return;
    }
    if (editable() && !panel.some((m) => m.trim())) {
      el.status.textContent = 'Add at least one panel model.';
      return;
    }
    el.status.textContent = '';
    onSubmit({ prompt, attachments: [...attachments] });
  });

  return {
    /** Takes the server's recipe; keeps the user's own edits across a reload of the config. */
    setConfig(next, { isDemo = false } = {}) {
      config = next;
      demo = isDemo;
      fillLengthOptions(el.length); // the server's cap decides which lengths are offered
      if (!dirty || !editable()) {
        panel = [...(next.panel ?? [])];
        judge = next.judge ?? '';
        webSearch = Boolean(next.tools?.web_search);
        tab = initialTab(next);
        dirty = false;
      }
      render();
    },
    setModelOptions(ids) {
      $('model-options').replaceChildren(...ids.map((id) => h('option', { value: id })));
    },
    setLength(value) {
      el.length.value = String(value);
    },
    /**
     * The request's `openfusion` object, or null. Only what differs from the server's recipe is sent,
     * so an untouched composer runs the server's own strategy (debate, self-fusion, ...).
     */
    override({ length = 0, forEstimate = false } = {}) {
      if (!editable()) return null;
      const o = {};
      const cleaned = panel.map((m) => m.trim()).filter(Boolean);
      if (!sameList(cleaned, config.panel ?? [])) o.panel = cleaned;
      const j = judge.trim();
      if (j && j !== (config.judge ?? '')) o.judge = j;
      if (webSearch !== Boolean(config.tools?.web_search)) o.tools = { web_search: webSearch };
      if (length) o.max_tokens = length;
      if (!forEstimate) o.expose_panel = true;
      return Object.keys(o).length ? o : null;
    },
    prompt: () => el.prompt.value.trim(),
    attachments: () => attachments,
    clearInput() {
      el.prompt.value = '';
      attachments = [];
      el.fileError.hidden = true;
      renderAttachments();
    },
    /** Puts a failed or stopped prompt back, unless the user already typed something new. */
    restore(prompt, files) {
      if (!el.prompt.value.trim()) el.prompt.value = prompt;
      if (!attachments.length) attachments = [...files];
      renderAttachments();
    },
    setPlaceholder(continuing) {
      el.prompt.placeholder = continuing ? 'Continue the conversation…' : 'Ask anything…';
    },
    setEstimate(text) {
      el.estimate.textContent = text;
    },
    setStatus(text) {
      el.status.textContent = text;
    },
    setBusy(value) {
      busy = value;
      el.fuse.disabled = value;
      el.fuse.classList.toggle('busy', value);
      el.fuse.querySelector('.label').textContent = value ? 'Fusing…' : 'Fuse';
      el.stop.hidden = !value;
      el.stop.disabled = !value;
    },
    focus() {
      el.prompt.focus();
    },
  };
}
