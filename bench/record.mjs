// record.mjs: `node bench/record.mjs`: the run record's memory over 100,000 training steps. Two runs:
// a small network really trained for 100,000 steps in slices of 10 with a snapshot whenever one is
// due, and a page-sized network (8 layers of 128 units) whose real snapshot is offered again at every
// one of 100,000 simulated steps. Each prints the peak bytes the record held beside its budget (16 MiB),
// how many snapshots it kept and their spacing. A memory check, not a timing.
import { execFileSync } from 'node:child_process';
import { loadGradlab } from '../web/lib/gradlab.js';
import { RECORD_BUDGET, RunRecord } from '../web/lib/record.js';
import { takeSnapshot } from '../web/lib/snapshot.js';

const STEPS = 100000;
const cpu = (() => {
  try { return /Model name:\s*(.*)/.exec(execFileSync('lscpu', { encoding: 'utf8' }))?.[1].trim(); } catch { return 'unknown'; }
})();

function line(name, record, steps) {
  const u = record.usage();
  const ok = u.peakBytes <= u.budget ? 'within' : 'OVER';
  console.log(`${name}: ${steps} steps, peak ${u.peakBytes} bytes of a ${u.budget}-byte budget (${(100 * u.peakBytes / u.budget).toFixed(1)}%, ${ok}); ` +
    `${u.length} snapshots kept, spacing ${u.spacing} steps, first ${u.first}, latest ${u.latest}`);
  return u.peakBytes <= u.budget;
}

const lab = await loadGradlab();
console.log(`CPU: ${cpu}; build: ${lab.simd ? 'SIMD' : 'scalar'}`);
const grid = new Float32Array(48 * 48 * 2).map((_, i) => Math.sin(i));

// 1. a real run
const spiral = lab.dataset('spiral', { samples: 300, classes: 3, seed: 1 });
const small = lab.network({ inputs: 2, layers: [{ units: 16, activation: 'relu' }, { units: 16, activation: 'relu' }, { units: 3 }], seed: 1 });
small.setOptimizer({ name: 'adam', learningRate: 0.01 });
const trained = small.keepHistory({ data: spiral, grid });
while (small.step < STEPS) small.train(spiral, { steps: 10, batchSize: 32 });
let ok = line('trained 2-16-16-3, adam, batches of 32', trained, small.step);

// 2. a page-sized network, its snapshot offered at every simulated step
const wide = lab.network({ inputs: 2, layers: [...Array(8)].map(() => ({ units: 128, activation: 'tanh' })).concat([{ units: 3 }]), seed: 1 });
wide.setOptimizer({ name: 'sgd', learningRate: 0.1 });
wide.train(spiral, { steps: 1 });
const snapshot = takeSnapshot(wide, spiral, { grid });
const simulated = new RunRecord({ budget: RECORD_BUDGET });
for (let step = 0; step <= STEPS; ++step) {
  if (simulated.wants(step)) simulated.add(step, structuredClone(snapshot));
}
ok = line('simulated 2-(128 x 8)-3 snapshots', simulated, STEPS) && ok;
process.exit(ok ? 0 : 1);
