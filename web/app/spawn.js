// spawn.js: starts the engine's worker (web/app/worker.js) in the way the browser allows from
// wherever these files are served.
// - Beside the page (same origin, or bundled into the site): a plain module worker. The call is
//   written `new Worker(new URL('./worker.js', import.meta.url), ...)` on purpose: bundlers find
//   that form and bundle the worker with its imports (Vite, tested; webpack 5 knows it too).
// - On another origin (a package CDN): browsers refuse to start a worker from a script of another
//   origin, so a tiny module of the page's own origin (a blob: URL) imports the real worker by its
//   absolute URL. Imports inside worker.js then resolve against its real URL, and the files must be
//   sent with CORS headers (Access-Control-Allow-Origin), as package CDNs do.
// The pure parts (which way, the bootstrap's text) are exported for Node tests.

// read through a variable, so that bundlers leave this one alone (it is only used unbundled)
const HERE = import.meta.url;
const bootstraps = new Map();

/** The one line a blob: worker runs to become the worker at `url` (a static import, so the real
 *  worker's top level, which installs its message handler, runs before any message is delivered). */
export const bootstrapSource = (url) => `import ${JSON.stringify(String(url))};\n`;

/** Whether a worker script at `url` needs the blob: bootstrap on a page of origin `pageOrigin`. */
export function needsBootstrap(url, pageOrigin) {
  const { protocol, origin } = new URL(url);
  return protocol !== 'blob:' && protocol !== 'data:' && origin !== pageOrigin;
}

/** The absolute URL of worker.js under `base`, the folder laid out like web/ (…/app/worker.js). */
export const workerUrl = (base) => new URL('app/worker.js', base).href;
/** The absolute URL of worker.js beside this file, unbundled. */
export const defaultWorkerUrl = () => new URL('worker.js', HERE).href;

/**
 * A module worker running web/app/worker.js: from this file's own folder, or from `base` (a URL of the
 * folder holding app/, lib/, wasm/, as the element's `base` attribute gives it).
 */
export function spawnWorker(base = null) {
  if (base == null && !needsBootstrap(HERE, location.origin)) {
    return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  }
  return moduleWorker(base == null ? defaultWorkerUrl() : workerUrl(base));
}

/** A module worker for the script at `url`, through a same-origin blob: module when `url` is on another origin. */
export function moduleWorker(url) {
  if (!needsBootstrap(url, location.origin)) return new Worker(url, { type: 'module' });
  let blob = bootstraps.get(url);
  if (!blob) {
    // one bootstrap per script, kept for the page's life: every element's workers reuse it
    blob = URL.createObjectURL(new Blob([bootstrapSource(url)], { type: 'text/javascript' }));
    bootstraps.set(url, blob);
  }
  return new Worker(blob, { type: 'module', name: url });
}
