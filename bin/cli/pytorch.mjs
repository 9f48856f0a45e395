// pytorch.mjs: `gradlab pytorch`: the run that `gradlab train` would do, written as a self-contained
// PyTorch script (net.toPyTorch): same model, initial weights, data rows, batch order and schedule.
import { writeFileSync } from 'node:fs';
import { REPLAY_LIMITS } from '../../web/lib/replay.js';
import { flags as trainFlags, makeRun, plan } from './train.mjs';

export const usage = 'gradlab pytorch --dataset spiral --layers 100:relu --optimizer adam --lr 0.01 --steps 200 [--out run.py]';
export const summary = `Writes the run that gradlab train would do with the same flags as one PyTorch script: the same
network as an nn.Module, the same initial weights and data rows, gradlab's batch order, the same
optimiser and steps. \`python3 run.py\` prints the loss of every step; \`python3 run.py --json\` prints
{"history": [{"step": 1, "loss": ...}, ...]} as \`gradlab train --json\` does.`;

// the flags of gradlab train that describe the run (not how train prints or saves it), and where to write
const OUTPUT_ONLY = new Set(['json', 'csv', 'every', 'progress', 'quiet', 'save', 'load']);
export const flags = {
  ...Object.fromEntries(Object.entries(trainFlags).filter(([name]) => !OUTPUT_ONLY.has(name))),
  steps: { ...trainFlags.steps, max: REPLAY_LIMITS.steps, help: 'training steps (each step\'s batch rows and dropout masks are embedded)' },
  out: { type: 'string', value: 'FILE', help: 'write the script to FILE (default: standard output)' },
};

export async function run(v, io) {
  const p = plan(v);
  const lab = await io.lab();
  const { data, net } = makeRun(lab, p);
  try {
    const script = net.toPyTorch(data, { steps: p.steps, batchSize: p.batch });
    if (v.out) {
      writeFileSync(v.out, script);
      io.stderr.write(`gradlab pytorch: wrote ${v.out} (${Math.ceil(script.length / 1024)} KiB); run it with python3 ${v.out}\n`);
    } else io.stdout.write(script);
  } finally {
    net.dispose();
    data.dispose();
  }
  return 0;
}
