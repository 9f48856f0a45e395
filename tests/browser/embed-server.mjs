// embed-server.mjs: a course site for the embed tests. gradlab's files (web/, or a built dist/) sit
// under one path, the course's pages under another, and every response carries a strict
// Content-Security-Policy whose violations are reported to /csp-report, which the test reads.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import { root } from '../../scripts/build.mjs';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'";
/** The origin docs/embedding.md writes for a package CDN; tests put a second local origin in its place. */
export const CDN_ORIGIN = 'https://cdn.example';
/** The policy docs/embedding.md gives for pages that load gradlab from a CDN at CDN_ORIGIN. */
export const CDN_CSP = `default-src 'self'; script-src 'self' ${CDN_ORIGIN} 'wasm-unsafe-eval'; worker-src 'self' blob: ${CDN_ORIGIN}; style-src 'self' ${CDN_ORIGIN}; connect-src 'self' ${CDN_ORIGIN}`;
/** CDN_CSP with the CDN at `origin`. */
export const cdnPolicy = (origin) => CDN_CSP.replaceAll(CDN_ORIGIN, origin);
/** Where a package CDN serves this version's web/ folder, as docs/embedding.md writes it. */
export const CDN_PATH = `/npm/gradlab@${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}/web/`;
/** The origin docs/embedding.md writes for the LMS page around an iframe of embed.html. */
export const LMS_ORIGIN = 'https://lms.example';
/** The policy of a page that shows only embed.html from the CDN. */
export const FRAME_CSP = `default-src 'self'; frame-src ${CDN_ORIGIN}`;

/**
 * Serves `files` (a folder laid out like web/ or dist/) under `prefix`, with the chart library at
 * prefix + 'vendor/uplot/' when the folder has none, and `pages` ({ '/site/a.html': text }) as they
 * are. `csp`: the policy on every response (null: none, as a CDN sends), a string, or a function of
 * the site's own origin and the path asked for. `cors`: send Access-Control-Allow-Origin: * as package CDNs do. `host`:
 * the name in `url` (127.0.0.1 or localhost, two origins of one server).
 * Resolves to { url, origin(host), reports, requests, close }.
 */
export async function courseSite({
  files = join(root, 'web'), prefix = '/gradlab/', pages = {}, vendor = true, csp = CSP, cors = false,
} = {}) {
  const reports = [], requests = [];
  const opts = { dev: true, etag: true };
  const gradlab = sirv(files, opts);
  const uplot = sirv(join(root, 'node_modules', 'uplot', 'dist'), opts);
  const server = http.createServer((req, res) => {
    requests.push(req.url);
    const policy = typeof csp === 'function' ? csp(`http://${req.headers.host}`, req.url.split('?')[0]) : csp;
    if (policy) res.setHeader('Content-Security-Policy', `${policy}; report-uri /csp-report`);
    if (cors) res.setHeader('Access-Control-Allow-Origin', '*');
    const notFound = () => { res.statusCode = 404; res.end('not found'); };
    if (req.method === 'POST' && req.url === '/csp-report') {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { reports.push(body); res.statusCode = 204; res.end(); });
      return undefined;
    }
    const path = req.url.split('?')[0];
    if (path === '/favicon.ico') { res.statusCode = 204; return res.end(); }   // the course site has none
    if (pages[path] !== undefined) {
      const type = path.endsWith('.js') ? 'text/javascript' : path.endsWith('.css') ? 'text/css' : 'text/html';
      res.setHeader('Content-Type', `${type}; charset=utf-8`);
      return res.end(pages[path]);
    }
    if (!req.url.startsWith(prefix)) return notFound();
    req.url = '/' + req.url.slice(prefix.length);
    if (vendor && req.url.startsWith('/vendor/uplot/')) {
      req.url = req.url.slice('/vendor/uplot'.length);
      return uplot(req, res, notFound);
    }
    return gradlab(req, res, notFound);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = (host = '127.0.0.1') => `http://${host}:${server.address().port}`;
  return {
    url: origin(),
    origin,
    reports,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

/**
 * A script for the course page (served as a file, since inline scripts are refused): it records
 * every gradlab event of the elements (by id) and every message from frames into window.seen, and
 * CSP violations of this document into window.seen.violations.
 */
export const WATCH_JS = `
window.seen = { events: [], messages: [], violations: [] };
document.addEventListener('securitypolicyviolation', (e) => seen.violations.push(e.violatedDirective + ' ' + e.blockedURI));
for (const type of ['gradlab-ready', 'gradlab-step', 'gradlab-diverged', 'gradlab-error']) {
  document.addEventListener(type, (e) => seen.events.push({ id: e.target.id, type, t: performance.now(), ...e.detail }));
}
window.addEventListener('message', (e) => {
  if (typeof e.data?.type === 'string' && e.data.type.startsWith('gradlab-')) {
    const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === e.source);
    seen.messages.push({ id: frame ? frame.id : '?', t: performance.now(), ...e.data });
  }
});
`;
