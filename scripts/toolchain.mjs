// toolchain.mjs: finds the tools a build or test needs and, on a Debian machine where we are root,
// installs the missing ones from Debian's packages; elsewhere it stops with the command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version') && has('apt-get');
let aptUpdated = false;

/** Makes sure each command exists, installing `packages` with apt-get when it may. */
export function ensure(commands, packages, why) {
  const missing = () => commands.filter((c) => !has(c));
  if (missing().length) ensureBy(() => !missing().length, packages, `${why}: ${missing().join(', ')}`);
}

export function ensureNativeTools() { ensure(['cmake', 'cc'], ['cmake', 'gcc'], 'for the native build'); }
export function ensureEmscripten() { ensure(['emcc', 'wasm-objdump'], ['emscripten', 'wabt'], 'to build the wasm modules'); }
export function ensureChromium() { ensure(['chromium'], ['chromium'], 'for the browser tests'); }
/** Debian's python3 with numpy, which reads the exported .npy files back in the tests. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
export function ensureNumpy() {
  ensureBy(() => spawnSync(DEBIAN_PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0, ['python3-numpy'],
    'to check the .npy exports');
}

/** Debian's emcc runs its JavaScript tools with the system node, which needs this path. */
export function emscriptenEnv() {
  const extra = '/usr/share/nodejs';
  const current = process.env.NODE_PATH ? process.env.NODE_PATH.split(':') : [];
  return { ...process.env, NODE_PATH: [...new Set([...current, extra])].join(':') };
}

/** Installs `packages` with apt-get unless `present()` says what they bring is there (a command, a
 * library, a runtime); where it may not install, it stops with the command that would. */
export function ensureBy(present, packages, why) {
  if (present()) return;
  const install = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  if (!isRoot || !isDebian) {
    console.error(`gradlab: ${packages.join(' ')} missing (needed ${why}). Install it with:\n  sudo ${install}`);
    process.exit(1);
  }
  console.error(`gradlab: installing ${packages.join(' ')} (needed ${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    aptUpdated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
  if (!present()) {
    console.error(`gradlab: still missing after installing ${packages.join(' ')} (needed ${why})`);
    process.exit(1);
  }
}
