// gradlab.js: the one module users import, in Node (>= 20) and in browsers.
//   const lab = await loadGradlab();           // { simd: false } forces the scalar build
//   const data = lab.dataset('spiral', { samples: 300, classes: 3 });
//   const net = lab.network({ inputs: 2, layers: [{ units: 100, activation: 'relu' }, { units: 3, activation: 'softmax' }] });
//   net.setOptimizer({ name: 'sgd', learningRate: 1 }); net.train(data, { steps: 100 });
import { instantiate, simdSupported } from './loader.js';
import { Core } from './core.js';
import { Dataset, makeDataset } from './dataset.js';
import { Network, scheduleCurve } from './network.js';
import { optimizeSurface, surfaceGrid } from './surface.js';
import { depthExperiment } from './experiments.js';
import { lrSuggestions, trackSharpness } from './instruments.js';
import { integer } from './names.js';
import { LIMITS } from './boundary.js';
import { chooseKernel, warmVariant } from './kernels.js';

export * from './names.js';
export { Dataset, Network, depthExperiment, lrSuggestions, simdSupported, trackSharpness };
// saved runs, exports and imports: pure modules, also importable one by one
export { RUN_FORMAT, RUN_VERSION, loadRun, readRun, runFiles } from './runfile.js';
export { UNZIP_LIMIT, unzipRun, zipRun } from './runzip.js';
export { decodeNpy, encodeNpy } from './npy.js';
export { CSV_LIMITS, parseDataCsv } from './csv.js';
export { CURVE_COLUMNS, STAT_COLUMNS, curvesCsv, curvesFromCsv, fromCsv, statsCsv, statsRecords, toCsv, toJson } from './tables.js';
export { lineChartSvg, stripSvg } from './svg.js';
export { STRIP_QUANTITIES, depthTimeStrip, rampColor, stripFromCurves, stripPosition, stripTicks } from './strips.js';
// the record of a run for time travel
export { RECORD_BUDGET, RunRecord, snapshotBytes } from './record.js';
export { NEAR_ZERO, SNAPSHOT_DEFAULTS, SNAPSHOT_HISTOGRAMS, layerReports, probeForward, takeSnapshot } from './snapshot.js';

export class Lab {
  constructor(core) {
    this.core = core;
    /** true when the SIMD build is running */
    this.simd = core.simd;
    /** the URL of the loaded .wasm */
    this.wasmUrl = core.url;
  }

  /** A toy data set by name (circle, xor, blobs, spiral, moons, checkerboard, plane, sine), or user rows. */
  dataset(nameOrData, options) { return makeDataset(this.core, nameOrData, options); }

  /** A network from { inputs, layers, loss, init, seed }. */
  network(spec) { return new Network(this.core, spec); }

  /** The learning rate of a schedule at steps 0..steps-1, to preview its curve. */
  schedule(spec, steps) { return scheduleCurve(this.core, spec, steps); }

  /** An optimiser run on a 2-D surface: { surface, start: [x, y], optimizer, steps, noise, seed }. */
  optimize(spec) { return optimizeSurface(this.core, spec); }

  /** A surface's values on a grid, for contour plots: (name, { x: [min, max], y: [min, max], resolution }). */
  surface(name, options) { return surfaceGrid(this.core, name, options); }

  /** n draws of N(0, 1) from the seeded generator, as a Float32Array. */
  randomNormal(n, seed = 1) {
    const count = integer(n, 'n', 0, LIMITS.dataFloats); // before the draws are reserved
    const s = integer(seed, 'seed', 0, 0xffffffff);
    const core = this.core;
    return core.scoped((take) => {
      const out = take(count * 4);
      core.call('gl_random_normal', out, count, s >>> 0);
      return core.f32(out, count).slice();
    });
  }

  /**
   * The GEMM micro-kernel variant running and how it was chosen: { variant, forced, adopted, settled,
   * calibrationMs, rounds, productsEach, shape, variants: [{ name, mr, nr, ms, gflops }] } (ms and
   * gflops: the best of this engine's calibration timings, absent when the variant was forced or
   * adopted from another engine's kernelInfo()).
   */
  kernelInfo() {
    const k = this.core.kernel;
    return { ...k, shape: { ...k.shape }, variants: k.variants.map((v) => ({ ...v })) };
  }

  /**
   * Selects the GEMM micro-kernel again, after load, with any value loadGradlab's `kernel` option
   * takes (a name, 'default', 'auto' to time them now, or another engine's kernelInfo() to adopt its
   * choice); returns kernelInfo(). Every variant gives bit-identical results, so a network keeps
   * training the same steps whatever runs them.
   */
  useKernel(option) {
    const core = this.core;
    core.kernel = chooseKernel({ exports: core.x, memory: core.memory }, option);
    return this.kernelInfo();
  }

  /**
   * Runs one untimed product with the variant at `index` of kernelInfo().variants, so that the
   * engine compiles its optimised code before a timing (useKernel('auto')); the running variant is
   * unchanged. Returns false for an index the build does not have.
   */
  warmKernel(index) {
    return warmVariant({ exports: this.core.x, memory: this.core.memory }, index);
  }

  /** { wasmBytes, liveBytes }: the module's memory and the bytes its allocator has handed out. */
  memoryStats() {
    return { wasmBytes: this.core.memory.buffer.byteLength, liveBytes: this.core.x.gl_memory_live() };
  }
}

/**
 * Loads gradlab: the SIMD build where wasm SIMD works, else the scalar one; then times the GEMM
 * micro-kernel variants (at most 30 ms) and selects the fastest, or the one options.kernel names.
 */
export async function loadGradlab(options = {}) {
  const engine = await instantiate(options);
  const core = new Core(engine);
  core.kernel = chooseKernel(engine, options.kernel ?? 'auto');
  return new Lab(core);
}
