// surface-of-api.mjs: the public names of the JS API as the running module has them: its exports
// and the members of Lab, Network and Dataset instances. The docs and the type declarations are
// checked against this list, so a function added to web/lib must also be documented and declared.
import { loadGradlab } from '../../web/lib/gradlab.js';

/** Members that are implementation details: the wasm core, object handles and liveness checks. */
export const INTERNAL = new Set(['constructor', 'core', 'handle', 'live']);

function members(object) {
  const names = new Set(Object.keys(object));
  for (let p = Object.getPrototypeOf(object); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) names.add(n);
  }
  return [...names].filter((n) => !INTERNAL.has(n)).sort();
}

/** { exports: [...], Lab: [...], Network: [...], Dataset: [...] } */
export async function apiSurface() {
  const module = await import('../../web/lib/gradlab.js');
  const lab = await loadGradlab();
  const data = lab.dataset('xor', { samples: 10 });
  const net = lab.network({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }] });
  const surface = { exports: Object.keys(module).sort(), Lab: members(lab), Network: members(net), Dataset: members(data) };
  net.dispose();
  data.dispose();
  return surface;
}
