// surface.js: 2-D loss surfaces and optimiser runs on them, with the same C optimiser code that
// trains networks.
import { SURFACES, fail, integer, known, numeric, object, pick } from './names.js';
import { LIMITS } from './boundary.js';
import { optimizerRow } from './network.js';

/** [min, max] of a coordinate (the engine checks the values) */
function range(value, what) {
  if (!Array.isArray(value) || value.length !== 2) fail(`${what} must be [min, max]`);
  return [numeric(value[0], `${what}[0]`), numeric(value[1], `${what}[1]`)];
}

/** Values on a resolution x resolution grid: values[i * res + j] at x = x[0] + j dx, y = y[0] + i dy. */
export function surfaceGrid(core, name, options = {}) {
  const kind = pick(SURFACES, name, 'surface');
  object(options, 'surface options');
  known(options, ['x', 'y', 'resolution'], 'surface options');
  const x = range(options.x ?? [-2, 2], 'x');
  const y = range(options.y ?? [-2, 2], 'y');
  const resolution = integer(options.resolution, 'resolution', 2, LIMITS.resolution, 128); // before the grid is reserved
  return core.scoped((take) => {
    const out = take(resolution * resolution * 4);
    core.call('gl_surface_grid', kind, x[0], x[1], y[0], y[1], resolution, out);
    const values = core.f32(out, resolution * resolution).slice();
    let min = Infinity, max = -Infinity;
    for (const v of values) { if (v < min) min = v; if (v > max) max = v; }
    return { values, resolution, x, y, min, max };
  });
}

/**
 * Runs an optimiser on a surface: { path: Float32Array (x0, y0, x1, y1, ...), loss: Float32Array,
 * steps, diverged }. path has steps+1 points unless the point left the finite numbers.
 */
export function optimizeSurface(core, spec) {
  object(spec, 'optimize');
  known(spec, ['surface', 'start', 'optimizer', 'steps', 'noise', 'seed'], 'optimize');
  const kind = pick(SURFACES, spec.surface, 'surface');
  const start = spec.start ?? [0, 0];
  if (!Array.isArray(start) || start.length !== 2) fail('start must be [x, y]');
  const x = numeric(start[0], 'start[0]');
  const y = numeric(start[1], 'start[1]');
  const row = optimizerRow(spec.optimizer ?? { name: 'sgd' });
  const steps = integer(spec.steps, 'steps', 0, LIMITS.raceSteps, 100); // before the path is reserved
  const noise = numeric(spec.noise, 'noise', 0);
  const seed = integer(spec.seed, 'seed', 0, 0xffffffff, 1);
  return core.scoped((take) => {
    const path = take((steps + 1) * 8);
    const loss = take((steps + 1) * 4);
    const done = core.call('gl_optimize', kind, x, y, take(row), steps, noise, seed >>> 0, path, loss);
    return {
      path: core.f32(path, 2 * (done + 1)).slice(),
      loss: core.f32(loss, done + 1).slice(),
      steps: done,
      diverged: done < steps,
    };
  });
}
