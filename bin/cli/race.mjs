// race.mjs: `gradlab race`: several optimisers start from one point of a 2-D surface and run the
// same number of steps with lab.optimize, the C update rules that also train networks.
import { OPTIMIZERS, OPTIMIZER_DEFAULTS, SURFACES, SURFACE_VIEWS } from '../../web/lib/gradlab.js';
import { UsageError, exclusive } from './flags.mjs';
import { csv, curveLine, fixed, table } from './format.mjs';
import { PROGRESS_FLAGS, Progress, progressWanted } from './progress.mjs';

export const usage = 'gradlab race --surface rosenbrock --optimizers sgd,momentum,adam --steps 500 [--csv | --json]';
export const summary = `Runs each optimiser from the same start on a 2-D surface and compares where they end: final
point, loss, distance to the minimum and the first step within --tolerance of it. Give a learning
rate per optimiser as NAME:RATE (sgd:0.001,adam:0.02); otherwise --lr, else the optimiser's default.`;

export const notes = `surfaces and their default starts:
${SURFACES.map((s) => `  ${s.padEnd(11)}start ${SURFACE_VIEWS[s].start.join(', ')}; minimum ${SURFACE_VIEWS[s].minimum ? SURFACE_VIEWS[s].minimum.join(', ') : 'none'}`).join('\n')}`;

export const flags = {
  surface: { type: 'choice', choices: SURFACES, default: 'rosenbrock', value: 'NAME', help: 'surface' },
  optimizers: { type: 'string', default: 'sgd,momentum,adam', value: 'NAME[:RATE],...', help: `optimisers (${OPTIMIZERS.join(', ')})` },
  lr: { type: 'number', min: 0, max: 1000, help: 'learning rate for every optimiser without its own :RATE' },
  steps: { type: 'int', min: 1, max: 1000000, default: 500, help: 'steps per optimiser' },
  start: { type: 'string', value: 'X,Y', help: 'start point (default: the surface\'s, see below)' },
  noise: { type: 'number', min: 0, max: 1e6, default: 0, help: 'std of Gaussian noise added to every gradient' },
  seed: { type: 'int', min: 0, max: 4294967295, default: 1, help: 'seed of the noise' },
  tolerance: { type: 'number', min: 0, max: 1e6, default: 0.01, help: 'distance that counts as having reached the minimum' },
  json: { type: 'bool', help: 'print one JSON document with every path' },
  csv: { type: 'bool', help: 'print CSV: optimizer,step,x,y,loss (one row per point of every path)' },
  ...PROGRESS_FLAGS,
};

/** 'sgd:0.001,adam' as [{ name, learningRate }]; a name may appear once. */
export function parseRacers(text, lr) {
  const seen = new Set();
  return text.split(',').map((part) => {
    const [name, rate, extra] = part.trim().split(':');
    if (!OPTIMIZERS.includes(name)) {
      throw new UsageError(`--optimizers '${text}': '${name}' is not known; allowed: ${OPTIMIZERS.join(', ')}`);
    }
    if (seen.has(name)) throw new UsageError(`--optimizers '${text}': '${name}' is listed twice`);
    seen.add(name);
    const value = rate === undefined ? lr ?? OPTIMIZER_DEFAULTS[name].learningRate : Number(rate);
    if (extra !== undefined || rate === '' || !Number.isFinite(value) || value < 0 || value > 1000) {
      throw new UsageError(`--optimizers '${text}': '${part}' is not allowed; write NAME or NAME:RATE with a rate from 0 to 1000`);
    }
    return { name, learningRate: value };
  });
}

export function parseStart(text, surface) {
  if (text === undefined) return SURFACE_VIEWS[surface].start;
  const parts = text.split(',').map((t) => (t.trim() === '' ? NaN : Number(t)));
  if (parts.length !== 2 || !parts.every((p) => Number.isFinite(p) && Math.abs(p) <= 1e6)) {
    throw new UsageError(`--start '${text}' is not allowed; write two numbers from -1000000 to 1000000 as X,Y (e.g. --start=-1.2,1)`);
  }
  return parts;
}

export async function run(v, io) {
  exclusive(v, ['json', 'csv']);
  const racers = parseRacers(v.optimizers, v.lr);
  const start = parseStart(v.start, v.surface);
  const minimum = SURFACE_VIEWS[v.surface].minimum;
  const lab = await io.lab();
  const progress = new Progress(io.stderr, progressWanted(v, io.stderr), 'race', racers.length);
  const results = racers.map((optimizer, i) => {
    const r = lab.optimize({ surface: v.surface, start, optimizer, steps: v.steps, noise: v.noise, seed: v.seed });
    progress.update(i + 1, optimizer.name);
    const points = r.steps + 1;
    const last = { x: r.path[2 * r.steps], y: r.path[2 * r.steps + 1], loss: r.loss[r.steps] };
    let reached = null;
    if (minimum) {
      for (let t = 0; t < points && reached === null; ++t) {
        if (Math.hypot(r.path[2 * t] - minimum[0], r.path[2 * t + 1] - minimum[1]) <= v.tolerance) reached = t;
      }
    }
    return {
      optimizer: { ...OPTIMIZER_DEFAULTS[optimizer.name], ...optimizer },
      steps: r.steps, diverged: r.diverged, final: last,
      distance: minimum ? Math.hypot(last.x - minimum[0], last.y - minimum[1]) : null,
      reached, path: r.path, loss: r.loss,
    };
  });
  progress.done();
  if (v.json) {
    io.stdout.write(JSON.stringify({
      command: 'race', simd: lab.simd, surface: v.surface, start, minimum, steps: v.steps, noise: v.noise, seed: v.seed,
      tolerance: v.tolerance,
      racers: results.map((r) => ({ ...r, path: undefined, loss: undefined, x: everyOther(r.path, 0), y: everyOther(r.path, 1), losses: Array.from(r.loss) })),
    }) + '\n');
  } else if (v.csv) {
    const rows = [];
    for (const r of results) {
      for (let t = 0; t <= r.steps; ++t) rows.push({ optimizer: r.optimizer.name, step: t, x: r.path[2 * t], y: r.path[2 * t + 1], loss: r.loss[t] });
    }
    io.stdout.write(csv(['optimizer', 'step', 'x', 'y', 'loss'], rows));
  } else {
    io.stdout.write(`${v.surface} from (${start.join(', ')}), ${v.steps} steps${v.noise ? `, gradient noise ${v.noise}` : ''}; minimum ${minimum ? `(${minimum.join(', ')})` : 'none'}\n`);
    const curves = results.map((r) => curveLine(Array.from(r.loss)));
    io.stdout.write(`loss over the steps, each curve from its own lowest (▁) to highest (█) value${curves.every((c) => c.log) ? ' on a log scale' : ''}\n\n`);
    io.stdout.write(table(['optimizer', 'lr', 'x', 'y', 'loss', 'distance', `reached ${v.tolerance}`, 'loss curve'],
      results.map((r, i) => [r.optimizer.name, String(r.optimizer.learningRate), fixed(r.final.x), fixed(r.final.y), fixed(r.final.loss),
        r.distance === null ? '-' : fixed(r.distance), r.diverged ? `diverged at ${r.steps + 1}` : r.reached === null ? 'no' : `step ${r.reached}`,
        `|${curves[i].line}|`])));
  }
  return 0;
}

function everyOther(path, offset) {
  const out = [];
  for (let i = offset; i < path.length; i += 2) out.push(path[i]);
  return out;
}
