// Light and dark themes: follows the system until the user picks one with the toggle.
import { $ } from './dom.js';
import { settings } from './state/settings.js';

const systemDark = window.matchMedia('(prefers-color-scheme: dark)');

function isDark() {
  return settings.theme ? settings.theme === 'dark' : systemDark.matches;
}

function apply() {
  const root = document.documentElement;
  if (settings.theme) root.dataset.theme = settings.theme;
  else delete root.dataset.theme;
  const toggle = $('theme-toggle');
  const dark = isDark();
  toggle.setAttribute('aria-pressed', String(dark));
  toggle.title = dark ? 'Dark theme is on' : 'Dark theme is off';
}

export function initTheme() {
  apply();
  systemDark.addEventListener('change', apply);
  $('theme-toggle').addEventListener('click', () => {
    settings.theme = isDark() ? 'light' : 'dark';
    apply();
  });
}
