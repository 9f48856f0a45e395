// lr-find.mjs: `gradlab lr-find`: the learning-rate range test (net.findLearningRate) on a network
// made (and optionally trained) like `gradlab train`'s, printed as a text plot, JSON or CSV.
import { exclusive } from './flags.mjs';
import { csv, fixed, plot } from './format.mjs';
import { NETWORK_FLAGS, trainQuietly } from './instrument-run.mjs';

export const usage = 'gradlab lr-find --dataset spiral --layers 100:relu --optimizer sgd --batch 32 --from 1e-5 --to 10 [--json | --csv]';
export const summary = `The learning-rate range test (Smith 2017; fastai's lr_find): from the network's weights (after
--train-steps of training, default none) train --steps minibatch steps while the rate grows
exponentially from --from to --to, and print the loss (smoothed, with bias correction) against the
rate. It stops early once the smoothed loss passes 4x its lowest. Two suggestions follow: the rate
where the smoothed loss falls fastest, and the rate of its minimum divided by 10. The network is put
back exactly as it was afterwards.`;

export const flags = {
  ...NETWORK_FLAGS,
  optimizer: { ...NETWORK_FLAGS.optimizer, default: 'sgd' },
  batch: { ...NETWORK_FLAGS.batch, default: 32 },
  'train-steps': { type: 'int', min: 0, max: 10000000, default: 0, help: 'training steps before the test' },
  from: { type: 'number', default: 1e-6, help: 'first learning rate (> 0)' },
  to: { type: 'number', default: 10, help: 'last learning rate (> from, at most 1000)' },
  steps: { type: 'int', default: 100, help: 'steps of the test (2..10000)' },
  smoothing: { type: 'number', default: 0.98, help: 'beta of the moving average (0 <= beta < 1)' },
  json: { type: 'bool', help: 'print one JSON document: rates, losses, smoothed losses, suggestions' },
  csv: { type: 'bool', help: 'print CSV: learning_rate,loss,smoothed' },
};

export async function run(v, io) {
  exclusive(v, ['json', 'csv']);
  const lab = await io.lab();
  const { p, made } = trainQuietly(lab, v, () => {}, v['train-steps']);
  const { net, data } = made;
  const F = net.findLearningRate(data, { from: v.from, to: v.to, steps: v.steps, batchSize: v.batch, smoothing: v.smoothing });
  const s = F.suggestions;
  if (v.json) {
    io.stdout.write(JSON.stringify({
      command: 'lr-find', simd: lab.simd, optimizer: net.optimizer, batchSize: v.batch, steps: F.steps, stoppedEarly: F.stoppedEarly,
      learningRates: Array.from(F.learningRates), losses: Array.from(F.losses, finiteOrNull), smoothed: Array.from(F.smoothed, finiteOrNull), suggestions: s,
    }) + '\n');
  } else if (v.csv) {
    io.stdout.write(csv(['learning_rate', 'loss', 'smoothed'], Array.from(F.learningRates, (lr, i) => ({ learning_rate: lr, loss: finiteOrNull(F.losses[i]), smoothed: finiteOrNull(F.smoothed[i]) }))));
  } else {
    const finite = Array.from(F.smoothed).filter(Number.isFinite);
    const lowest = Math.min(...finite);
    const top = Math.min(Math.max(...finite), 4 * lowest);
    io.stdout.write(`${p.describe}; batch ${v.batch || 'full'}\n`);
    io.stdout.write(`smoothed loss (*) against the learning rate, ${fixed(v.from)} to ${fixed(F.learningRates[F.steps - 1])} on a log scale, ${F.steps} steps` +
      `${F.stoppedEarly ? ' (stopped early: the loss passed 4x its lowest)' : ''}\n` +
      `loss ${fixed(lowest)} at the bottom, ${fixed(top)} at the top; | = steepest descent, : = minimum / 10\n\n`);
    const marks = [s.minimumDividedBy10 && { x: s.minimumDividedBy10, char: ':' }, s.steepest && { x: s.steepest, char: '|' }].filter(Boolean);
    for (const line of plot(F.learningRates, F.smoothed, { yMin: lowest, yMax: top, marks })) io.stdout.write(`  ${line}\n`);
    io.stdout.write(`\nsuggested learning rates: steepest ${fixed(s.steepest)}, minimum / 10 ${fixed(s.minimumDividedBy10)}\n`);
  }
  net.dispose();
  data.dispose();
  return 0;
}

function finiteOrNull(x) { return Number.isFinite(x) ? x : null; }
