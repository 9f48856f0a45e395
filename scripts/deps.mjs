// deps.mjs: installs the npm packages from the lock file when they are missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './build.mjs';

export function ensureNodeModules(probe = 'sirv') {
  if (existsSync(join(root, 'node_modules', probe, 'package.json'))) return;
  console.error('gradlab: installing npm packages from package-lock.json (npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: root });
}
