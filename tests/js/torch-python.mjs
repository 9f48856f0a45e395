// torch-python.mjs: Debian's Python with PyTorch and numpy, for the parity and export tests. Only
// /usr/bin/python3 sees Debian's packages (a pyenv python3 may come first on the PATH).
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** Why the PyTorch tests cannot run here, or null when `import torch, numpy` works. */
export function torchMissing() {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} could not be started (${r.error.code}); install python3-torch and python3-numpy (.ci/run does)`;
  if (r.status !== 0) return `${PYTHON} cannot import torch and numpy (${r.stderr.trim().split('\n').at(-1)}); apt-get install python3-torch python3-numpy (.ci/run does)`;
  return null;
}

/** The skip option of a suite that needs PyTorch: false, or the reason, also printed so a log shows it. */
export function torchSkip(suite) {
  const missing = torchMissing();
  if (missing) process.stderr.write(`NOT RUN: ${suite}: ${missing}\n`);
  return missing ? `not run: ${missing}` : false;
}

/** Runs python with args; returns stdout, or throws with stderr. */
export function python(args, options = {}) {
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  if (r.status !== 0) throw new Error(`${PYTHON} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}
