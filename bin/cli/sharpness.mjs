// sharpness.mjs: `gradlab sharpness`: trains a network and, every --every steps, measures the largest
// eigenvalue of the training loss's Hessian (trackSharpness), to set beside 2/lr, the sharpness
// beyond which gradient descent at that rate cannot settle (Cohen et al. 2021, the edge of stability).
import { trackSharpness } from '../../web/lib/gradlab.js';
import { exclusive } from './flags.mjs';
import { csv, curveLine, fixed, table } from './format.mjs';
import { NETWORK_FLAGS, trainQuietly } from './instrument-run.mjs';

export const usage = 'gradlab sharpness --dataset moons --layers 32:tanh --optimizer sgd --lr 0.1 --steps 1000 --every 50 [--json | --csv]';
export const summary = `Trains a network (the flags of gradlab train; full-batch sgd by default, the setting of the edge of
stability) and measures lambda max, the largest eigenvalue of the Hessian of the training loss, before
the first step and every --every steps, by power iteration on Hessian-vector products. Beside it: 2/lr.
On a quadratic, gradient descent at rate lr settles only where lambda max < 2/lr; Cohen et al. (2021)
saw full-batch training raise lambda max until it hovers at 2/lr. (For adaptive optimisers such as
adam, 2/lr is not the threshold: they rescale each direction.)`;

export const flags = {
  ...NETWORK_FLAGS,
  optimizer: { ...NETWORK_FLAGS.optimizer, default: 'sgd' },
  lr: { ...NETWORK_FLAGS.lr, help: 'learning rate (default 0.1)' },
  steps: { type: 'int', min: 0, max: 10000000, default: 500, help: 'training steps' },
  every: { type: 'int', min: 1, max: 10000000, help: 'measure every N steps (default steps/10)' },
  iterations: { type: 'int', default: 100, help: 'most Hessian-vector products per measurement (1..1000)' },
  tolerance: { type: 'number', default: 1e-3, help: 'stop once the residual |Hv - λv| is at most this times |λ|' },
  rows: { type: 'int', default: 0, help: 'training rows of the loss (0 = all)' },
  json: { type: 'bool', help: 'print one JSON document with every measurement' },
  csv: { type: 'bool', help: 'print CSV: step,loss,lambda_max,two_over_lr' },
};

export async function run(v, io) {
  exclusive(v, ['json', 'csv']);
  const lab = await io.lab();
  const values = { ...v, lr: v.lr ?? (v.optimizer === 'sgd' ? 0.1 : undefined) };
  const { p, made } = trainQuietly(lab, values, () => {}, 0);
  const { net, data } = made;
  const every = Math.min(v.every ?? Math.max(1, Math.ceil(v.steps / 10)), Math.max(1, v.steps));
  const track = trackSharpness(net, data, {
    steps: v.steps, every, batchSize: v.batch, iterations: v.iterations, tolerance: v.tolerance, rows: v.rows, seed: v.seed,
  });
  const records = track.steps.map((step, i) => ({ step, loss: track.loss[i], lambdaMax: track.lambdaMax[i], twoOverEta: track.twoOverEta[i] }));
  if (v.json) {
    io.stdout.write(JSON.stringify({ command: 'sharpness', simd: lab.simd, status: track.status, optimizer: net.optimizer, batchSize: v.batch, measurements: records }) + '\n');
  } else if (v.csv) {
    io.stdout.write(csv(['step', 'loss', 'lambda_max', 'two_over_lr'], records.map((r) => ({ step: r.step, loss: r.loss, lambda_max: r.lambdaMax, two_over_lr: r.twoOverEta }))));
  } else {
    io.stdout.write(`${p.describe}; batch ${v.batch || 'full'}\n`);
    io.stdout.write(`lambda max of the training loss's Hessian every ${every} steps, beside 2/lr\n\n`);
    io.stdout.write(table(['step', 'loss', 'lambda max', '2/lr', 'lambda max / (2/lr)'],
      records.map((r) => [String(r.step), fixed(r.loss), fixed(r.lambdaMax), fixed(r.twoOverEta), r.twoOverEta ? fixed(r.lambdaMax / r.twoOverEta, 3) : '-'])));
    if (records.length > 1) {
      const c = curveLine(track.lambdaMax, Math.min(40, records.length));
      io.stdout.write(`\nlambda max over the run, lowest (▁) to highest (█)${c.log ? ' on a log scale' : ''}: |${c.line}|\n`);
    }
  }
  if (track.status === 'diverged') io.stderr.write(`gradlab sharpness: the loss stopped being finite at step ${net.step}; try a smaller --lr\n`);
  net.dispose();
  data.dispose();
  return track.status === 'diverged' ? 3 : 0;
}
