// The API-key card, shown when the server needs an upstream key and accepts one from the UI.
import { $ } from '../dom.js';
import { setRuntimeKey } from '../api.js';

export function createKeyCard({ onSaved }) {
  const card = $('key-card');
  const input = $('key-input');
  const error = $('key-error');
  const save = $('key-save');

  $('key-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    save.disabled = true;
    error.hidden = true;
    try {
      await setRuntimeKey(key);
      input.value = '';
      await onSaved();
    } catch (err) {
      error.textContent = `Error: ${err.message}`;
      error.hidden = false;
    } finally {
      save.disabled = false;
    }
  });

  return {
    update(config) {
      card.hidden = !(config?.needs_api_key && config?.allow_ui_api_key);
    },
  };
}
