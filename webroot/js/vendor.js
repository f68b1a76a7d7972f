// Third-party browser libraries. The server serves them from WebJars on its classpath at /webjars/;
// api-verticle/pom.xml pins the same versions. Nothing is bundled into or copied into this folder.

export const VERSIONS = Object.freeze({ marked: '15.0.7', dompurify: '3.2.4', highlightjs: '11.10.0' });

const WEBJARS = new URL('../../webjars/', import.meta.url);
const url = (path) => new URL(path, WEBJARS).href;

// highlight.js ships only a classic script that declares a global, so it is loaded as one.
function classicScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => reject(new Error(`could not load ${src}`)));
    document.head.append(script);
  });
}

let loading = null;

/**
 * Loads marked, DOMPurify and highlight.js once. Each one may fail on its own (for example a server
 * built without the WebJars); the caller then falls back to plain text, never to unsanitized HTML.
 * @returns {Promise<{marked: object|null, purify: object|null, hljs: object|null}>}
 */
export function loadVendors() {
  loading ??= Promise.allSettled([
    import(url(`marked/${VERSIONS.marked}/lib/marked.esm.js`)).then((m) => m.marked),
    // the UMD build registers globalThis.DOMPurify when imported as a module
    import(url(`dompurify/${VERSIONS.dompurify}/dist/purify.min.js`)).then(() => globalThis.DOMPurify),
    classicScript(url(`highlightjs/${VERSIONS.highlightjs}/highlight.min.js`)).then(() => globalThis.hljs),
  ]).then(([marked, purify, hljs]) => {
    const value = (r) => (r.status === 'fulfilled' && r.value ? r.value : null);
    return { marked: value(marked), purify: value(purify), hljs: value(hljs) };
  });
  return loading;
}
