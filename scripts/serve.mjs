// serve.mjs: a static server for the page on 127.0.0.1: web/ at /, and the chart library's files
// at /vendor/uplot/, the zip library's at /vendor/fflate/. Used by `npm start` and by the browser tests.
import http from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import { root } from './build.mjs';

export function createServer({ headers = {} } = {}) {
  const opts = { dev: true, etag: true, setHeaders: (res) => { for (const [k, v] of Object.entries(headers)) res.setHeader(k, v); } };
  const web = sirv(join(root, 'web'), opts);
  const uplot = sirv(join(root, 'node_modules', 'uplot', 'dist'), opts);
  const fflate = sirv(join(root, 'node_modules', 'fflate', 'esm'), opts);
  const examples = sirv(join(root, 'examples'), opts);
  return http.createServer((req, res) => {
    const notFound = () => { res.statusCode = 404; res.end('not found'); };
    if (req.url.startsWith('/vendor/uplot/')) {
      req.url = req.url.slice('/vendor/uplot'.length);
      return uplot(req, res, notFound);
    }
    if (req.url.startsWith('/vendor/fflate/')) {
      req.url = req.url.slice('/vendor/fflate'.length);
      return fflate(req, res, notFound);
    }
    if (req.url.startsWith('/examples/')) {
      req.url = req.url.slice('/examples'.length);
      return examples(req, res, notFound);
    }
    return web(req, res, notFound);
  });
}

/** Listens on 127.0.0.1:port (0 = any free port) and resolves to the server's URL. */
export function listen(server, port = 0) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/`));
  });
}
