// start.mjs: `npm start`: installs and builds what is missing, then serves the page.
import { buildWasm } from './build.mjs';
import { ensureNodeModules } from './deps.mjs';

ensureNodeModules();
buildWasm();
const { createServer, listen } = await import('./serve.mjs');
const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`gradlab: PORT ${process.env.PORT} is not a port number (0..65535)`);
  process.exit(1);
}
const url = await listen(createServer(), port).catch((error) => {
  console.error(`gradlab: cannot listen on 127.0.0.1:${port} (${error.code}); set PORT to another port`);
  process.exit(1);
});
console.log(`gradlab is running at ${url}  (Ctrl+C stops it)`);
