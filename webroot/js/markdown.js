// Markdown rendering for model output: marked turns it into HTML, DOMPurify ALWAYS sanitizes that HTML,
// highlight.js colours code blocks. Without marked or DOMPurify the text is shown as plain text.
import { loadVendors } from './vendor.js';

let libs = { marked: null, purify: null, hljs: null };

const PURIFY_OPTIONS = Object.freeze({
  RETURN_DOM_FRAGMENT: true,
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'object', 'embed'],
  FORBID_ATTR: ['style'],
});

/** Loads the libraries; safe to call more than once. */
export async function initMarkdown() {
  libs = await loadVendors();
  libs.hljs?.configure({ ignoreUnescapedHTML: true });
  return libs;
}

export function markdownReady() {
  return Boolean(libs.marked && libs.purify);
}

/**
 * Renders {@code text} into {@code target}, replacing what was there.
 * @param {HTMLElement} target
 * @param {string} text
 * @param {{highlight?: boolean}} options highlighting is skipped while an answer is still streaming
 */
export function renderMarkdown(target, text, { highlight = true } = {}) {
  const source = typeof text === 'string' ? text : '';
  if (!markdownReady()) {
    target.classList.add('plain');
    target.textContent = source;
    return;
  }
  target.classList.remove('plain');
  const html = libs.marked.parse(source, { gfm: true, breaks: false, async: false });
  target.replaceChildren(libs.purify.sanitize(html, PURIFY_OPTIONS));
  // remote images are blocked by the page's policy anyway; same-origin ones would be requests a model chose
  for (const img of target.querySelectorAll('img')) {
    if (!/^data:image\//i.test(img.getAttribute('src') ?? '')) img.replaceWith(img.alt ? `[image: ${img.alt}]` : '');
  }
  for (const link of target.querySelectorAll('a[href]')) {
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
  }
  if (highlight && libs.hljs) {
    for (const code of target.querySelectorAll('pre code')) libs.hljs.highlightElement(code);
  }
}
