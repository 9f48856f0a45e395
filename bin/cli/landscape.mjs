// landscape.mjs: `gradlab landscape`: trains a network like `gradlab train`, then prints the loss on
// a plane through its final weights (net.lossLandscape) as a text contour, JSON or CSV.
import { exclusive } from './flags.mjs';
import { contour, csv, fixed } from './format.mjs';
import { NETWORK_FLAGS, trainQuietly } from './instrument-run.mjs';

export const usage = 'gradlab landscape --dataset spiral --layers 32:relu --steps 500 --directions random|trajectory [--json | --csv]';
export const summary = `Trains a network (the flags of gradlab train) and prints the training loss on the plane
w + alpha d1 + beta d2 through its final weights w, on a --resolution x --resolution grid over
[-span, span]: as a text contour (log shades from ' ' lowest to '@' highest, X the final weights,
o the recorded path), as JSON, or as CSV rows alpha,beta,loss. --directions random: two seeded
Gaussian directions, each unit's incoming weights scaled to that unit's norm in w (Li et al. 2018);
trajectory: the two leading principal directions of the weights recorded during training.`;

export const flags = {
  ...NETWORK_FLAGS,
  steps: { type: 'int', min: 0, max: 10000000, default: 500, help: 'training steps before the landscape' },
  directions: { type: 'choice', choices: ['random', 'trajectory'], default: 'random', value: 'KIND', help: 'directions of the plane' },
  span: { type: 'number', help: 'half-width of the plane in units of the directions (default 1; trajectory: 1.25 x the path)' },
  resolution: { type: 'int', default: 21, help: 'grid points per side (3..101)' },
  rows: { type: 'int', default: 0, help: 'training rows the loss is averaged over (0 = all)' },
  record: { type: 'int', default: 64, help: 'copies of the weights kept for --directions trajectory' },
  json: { type: 'bool', help: 'print one JSON document: axes, the grid as rows (beta) of columns (alpha), the path' },
  csv: { type: 'bool', help: 'print CSV: alpha,beta,loss' },
};

export async function run(v, io) {
  exclusive(v, ['json', 'csv']);
  const lab = await io.lab();
  const trajectory = v.directions === 'trajectory';
  const { p, made, status } = trainQuietly(lab, v, (net) => { if (trajectory) net.recordTrajectory({ capacity: v.record }); });
  const { net, data } = made;
  const L = net.lossLandscape(data, { directions: v.directions, span: v.span, resolution: v.resolution, rows: v.rows, seed: v.seed });
  const res = L.resolution;
  if (v.json) {
    const grid = Array.from({ length: res }, (_, i) => Array.from(L.values.subarray(i * res, (i + 1) * res), finiteOrNull));
    io.stdout.write(JSON.stringify({
      command: 'landscape', simd: lab.simd, status, directions: L.directions, span: L.span, resolution: res, rows: L.rows,
      center: L.center, alpha: Array.from(L.alpha), beta: Array.from(L.beta), values: grid,
      path: L.path ? { alpha: Array.from(L.path.alpha), beta: Array.from(L.path.beta), steps: Array.from(L.path.steps) } : undefined,
      explained: L.explained,
    }) + '\n');
  } else if (v.csv) {
    const records = [];
    for (let i = 0; i < res; ++i) for (let j = 0; j < res; ++j) records.push({ alpha: L.alpha[j], beta: L.beta[i], loss: finiteOrNull(L.values[i * res + j]) });
    io.stdout.write(csv(['alpha', 'beta', 'loss'], records));
  } else {
    const cell = (x) => Math.round(((x + L.span) / (2 * L.span)) * (res - 1));
    const marks = L.path ? Array.from(L.path.alpha, (a, i) => ({ col: cell(a), row: cell(L.path.beta[i]), char: 'o' })) : [];
    marks.push({ col: cell(0), row: cell(0), char: 'X' });
    const picture = contour(L.values, res, marks);
    const finite = Array.from(L.values).filter(Number.isFinite);
    io.stdout.write(`${p.describe}\n`);
    io.stdout.write(`loss on the plane of ${L.directions} directions over ${L.rows} training rows after ${net.step} steps` +
      `${L.explained ? ` (the path's variance along d1, d2: ${(100 * L.explained[0]).toFixed(1)}%, ${(100 * L.explained[1]).toFixed(1)}%)` : ''}\n`);
    io.stdout.write(`alpha across, beta up, both -${fixed(L.span)}..${fixed(L.span)}; '${picture.shades}' from ${fixed(Math.min(...finite))} to ${fixed(Math.max(...finite))}` +
      `${picture.log ? ' on a log scale' : ''}; X = the final weights (loss ${fixed(L.center.loss)})${L.path ? ', o = the recorded path' : ''}\n\n`);
    for (const line of picture.lines) io.stdout.write(`  |${line}|\n`);
  }
  net.dispose();
  data.dispose();
  return status === 'diverged' ? 3 : 0;
}

function finiteOrNull(x) { return Number.isFinite(x) ? x : null; }
