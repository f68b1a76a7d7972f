// Small preferences. The gateway token lives in sessionStorage (this tab only, gone when it closes);
// the response length and the theme in localStorage. No provider key is ever stored in the browser.

const TOKEN_KEY = 'openfusion_gateway_token';
const LENGTH_KEY = 'openfusion_response_length_v1';
const THEME_KEY = 'openfusion_theme_v1';

/** 0 means "the server's own limits": no max_tokens override is sent. */
export const LENGTHS = Object.freeze([
  { value: 0, label: 'Server default' },
  { value: 512, label: 'Short (512)' },
  { value: 1024, label: 'Medium (1024)' },
  { value: 2048, label: 'Long (2048)' },
  { value: 4096, label: 'Very long (4096)' },
]);

/** The server's max_override_tokens: longer lengths would change nothing, so they are not offered. Null: no cap. */
let lengthCap = null;

export function setLengthCap(cap) {
  lengthCap = Number.isInteger(cap) && cap > 0 ? cap : null;
}

const offered = (value) => value === 0 || lengthCap == null || value <= lengthCap;

function read(storage, key) {
  try {
    return storage.getItem(key);
  } catch {
    return null; // storage disabled
  }
}

function write(storage, key, value) {
  try {
    if (value == null || value === '') storage.removeItem(key);
    else storage.setItem(key, String(value));
  } catch {
    // storage disabled or full: the setting lasts for this page only
  }
}

export const settings = {
  get gatewayToken() {
    return read(sessionStorage, TOKEN_KEY) ?? '';
  },
  set gatewayToken(token) {
    write(sessionStorage, TOKEN_KEY, (token ?? '').trim());
  },
  get length() {
    const n = Number(read(localStorage, LENGTH_KEY));
    return LENGTHS.some((l) => l.value === n) && offered(n) ? n : 0;
  },
  set length(value) {
    write(localStorage, LENGTH_KEY, value ? Number(value) : null);
  },
  /** 'light', 'dark' or '' (follow the system). */
  get theme() {
    const t = read(localStorage, THEME_KEY);
    return t === 'light' || t === 'dark' ? t : '';
  },
  set theme(value) {
    write(localStorage, THEME_KEY, value);
  },
};

/** Fills a length select with the lengths this server honours, keeping the stored choice selected. */
export function fillLengthOptions(select) {
  select.replaceChildren(...LENGTHS.filter((l) => offered(l.value)).map((l) => new Option(l.label, String(l.value))));
  select.value = String(settings.length);
}
