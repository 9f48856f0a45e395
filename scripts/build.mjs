// build.mjs: builds what is missing or stale: the two wasm modules (web/wasm/) and, with --native,
// the native library and C tests (build/native/). `node scripts/build.mjs [--native] [--force]`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emscriptenEnv, ensureEmscripten, ensureNativeTools } from './toolchain.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newest(paths) {
  let t = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const s = statSync(p);
    if (s.isDirectory()) t = Math.max(t, newest(readdirSync(p).map((f) => join(p, f))));
    else t = Math.max(t, s.mtimeMs);
  }
  return t;
}

function run(cmd, args, env = process.env) {
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root, env });
}

const inputs = () => newest([join(root, 'src'), join(root, 'CMakeLists.txt'), join(root, 'tests', 'c'),
  join(root, 'tests', 'wasm'), join(root, 'bench', 'peak.c')]);

export function buildWasm({ force = false } = {}) {
  const outputs = ['gradlab-simd.wasm', 'gradlab-scalar.wasm', 'gradlab-kernels.wasm'].map((f) => join(root, 'web', 'wasm', f));
  const stale = force || outputs.some((f) => !existsSync(f) || statSync(f).mtimeMs < inputs());
  if (!stale) return;
  ensureEmscripten();
  const env = emscriptenEnv();
  const dir = join(root, 'build', 'wasm');
  if (!existsSync(join(dir, 'CMakeCache.txt'))) run('emcmake', ['cmake', '-S', '.', '-B', dir, '-DCMAKE_BUILD_TYPE=Release'], env);
  run('cmake', ['--build', dir, '-j2'], env);
  // cmake relinks only what changed; mark every output current so a change to an input that does
  // not reach one of them (a C test, another target's source) does not leave it stale forever
  const now = new Date();
  for (const f of outputs) if (existsSync(f)) utimesSync(f, now, now);
}

/** Builds build/native/ (cmake decides what is stale): every target, or only `target` and what it needs. */
export function buildNative({ target } = {}) {
  ensureNativeTools();
  const dir = join(root, 'build', 'native');
  if (!existsSync(join(dir, 'CMakeCache.txt'))) run('cmake', ['-S', '.', '-B', dir, '-DCMAKE_BUILD_TYPE=Release']);
  run('cmake', ['--build', dir, '-j2', ...(target ? ['--target', target] : [])]);
  return dir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  buildWasm({ force: args.includes('--force') });
  if (args.includes('--native')) buildNative();
}
