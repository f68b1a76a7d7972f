// The Settings dialog: provider key (kept in server memory), response length, gateway token, and a
// summary of the active server.
import { $ } from '../dom.js';
import { ApiError, setRuntimeKey } from '../api.js';
import { fillLengthOptions, settings } from '../state/settings.js';
import { serverSummary } from './summary.js';

export function createSettingsDialog({ getConfig, isDemo, onToken, onLength, onKeySaved }) {
  const dialog = $('settings');
  const keySection = $('settings-key');
  const keyFixed = $('settings-key-fixed');
  const keyInput = $('settings-key-input');
  const keyStatus = $('settings-key-status');
  const length = $('settings-length');
  const token = $('settings-token');
  fillLengthOptions(length);

  function fill() {
    const config = getConfig();
    const uiKey = Boolean(config?.allow_ui_api_key);
    keySection.hidden = !uiKey;
    keyFixed.hidden = uiKey || !config;
    keyInput.value = '';
    keyInput.placeholder = config?.api_key_set ? '(set) — enter a new key to replace it' : 'sk-or-v1-…';
    keyStatus.textContent = '';
    fillLengthOptions(length);
    length.disabled = !config?.allow_request_overrides; // the length travels in the override object
    token.value = settings.gatewayToken;
    $('server-summary').replaceChildren(...serverSummary(config, { demo: isDemo() }));
  }

  $('settings-key-save').addEventListener('click', async () => {
    keyStatus.textContent = 'Saving…';
    try {
      const result = await setRuntimeKey(keyInput.value.trim());
      keyInput.value = '';
      keyStatus.textContent = result.api_key_set ? 'Key saved in the server\'s memory.' : 'Key cleared.';
      await onKeySaved();
    } catch (err) {
      keyStatus.textContent = `Error: ${err instanceof ApiError ? err.message : String(err)}`;
    }
  });

  length.addEventListener('change', () => onLength(Number(length.value)));

  dialog.addEventListener('close', () => {
    if (dialog.returnValue !== 'save') return;
    onLength(Number(length.value));
    if (token.value.trim() !== settings.gatewayToken) {
      settings.gatewayToken = token.value;
      onToken();
    }
  });

  return {
    open({ focusToken = false } = {}) {
      fill();
      dialog.returnValue = '';
      dialog.showModal();
      (focusToken ? token : dialog.querySelector('input:not([hidden]), select'))?.focus();
    },
    refresh() {
      if (dialog.open) $('server-summary').replaceChildren(...serverSummary(getConfig(), { demo: isDemo() }));
    },
  };
}
