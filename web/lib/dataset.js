// dataset.js: data sets living in wasm memory, made from a seed or from the user's arrays.
import { DATASETS, fail, int32, integer, known, numeric, object, pick } from './names.js';
import { DATASET_INFO_SLOTS, LIMITS, readSlots } from './boundary.js';

const FIXED_CLASSES = { circle: 2, xor: 2, moons: 2, checkerboard: 2, plane: 0, sine: 0, digits: 10, shapes: 4 };
const IMAGES = ['digits', 'shapes'];
const GENERATED_KEYS = ['samples', 'classes', 'noise', 'testFraction', 'seed', 'size'];
const LOADED_KEYS = ['x', 'y', 'inputs', 'outputs', 'classes', 'testFraction', 'seed'];

export class Dataset {
  constructor(core, handle, name) {
    this.core = core;
    this.handle = handle;
    this.name = name;
    core.call('gl_dataset_info', handle, core.outIntsPtr);
    const { inputs, outputs, classes, trainSize, testSize, height, width, channels } = readSlots(core.outInts, DATASET_INFO_SLOTS);
    /** shape: [height, width, channels] of a row; [1, 1, inputs] unless the rows are images */
    Object.assign(this, { inputs, outputs, classes, trainSize, testSize, shape: [height, width, channels] });
  }

  /** @internal the live handle, or an error if this data set was disposed */
  live() {
    if (!this.handle) fail(`data set '${this.name}' was disposed and cannot be used again`);
    return this.handle;
  }

  /**
   * Views of the rows of one split: { x: Float32Array (rows x inputs), y: Int32Array of class ids or
   * Float32Array (rows x outputs) }. Views on wasm memory: read them before the next call that may
   * grow memory, or copy them with slice().
   */
  rows(split = 'train') {
    const core = this.core;
    core.call('gl_dataset_info', this.live(), core.outIntsPtr);
    const info = readSlots(core.outInts, DATASET_INFO_SLOTS);
    const first = split === 'test' ? this.trainSize : split === 'train' ? 0 : fail(`split '${split}' is not known; allowed: train, test`);
    const count = split === 'test' ? this.testSize : this.trainSize;
    const x = core.f32(info.x + first * this.inputs * 4, count * this.inputs);
    const y = this.classes
      ? core.i32(info.y + first * 4, count)
      : core.f32(info.y + first * this.outputs * 4, count * this.outputs);
    return { x, y, count };
  }

  dispose() {
    if (!this.handle) return;
    this.core.call('gl_dataset_dispose', this.handle);
    this.handle = 0;
  }
}

/** lab.dataset(name, options) or lab.dataset({ x, y, inputs, ... }) */
export function makeDataset(core, nameOrData, options = {}) {
  if (typeof nameOrData === 'string') {
    const kind = pick(DATASETS, nameOrData, 'data set');
    object(options, 'dataset options');
    known(options, GENERATED_KEYS, `dataset '${nameOrData}'`);
    const fixed = FIXED_CLASSES[nameOrData];
    const samples = int32(options.samples, 'samples', 300);
    const classes = fixed ?? int32(options.classes, 'classes', 3);
    if (fixed !== undefined && options.classes !== undefined && options.classes !== fixed) {
      fail(`classes ${options.classes} is not allowed for '${nameOrData}'; it has ${fixed || 'no'} classes`);
    }
    const noise = numeric(options.noise, 'noise', 0.1);
    const testFraction = numeric(options.testFraction, 'testFraction', 0.2);
    const seed = integer(options.seed, 'seed', 0, 0xffffffff, 1);
    if (options.size !== undefined && !IMAGES.includes(nameOrData)) fail(`size is only for the image sets (${IMAGES.join(', ')})`);
    const size = int32(options.size, 'size', 12);
    const handle = core.call('gl_dataset_make', kind, samples, classes, size, noise, testFraction, seed >>> 0);
    const made = new Dataset(core, handle, nameOrData);
    made.spec = { name: nameOrData, options: { ...options } };
    return made;
  }
  const spec = object(nameOrData, 'dataset');
  known(spec, LOADED_KEYS, 'dataset');
  const { x, y } = spec;
  if (!(x instanceof Float32Array)) fail('dataset x must be a Float32Array (rows x inputs, row-major)');
  if (!(y instanceof Int32Array) && !(y instanceof Float32Array)) {
    fail('dataset y must be an Int32Array of class ids or a Float32Array of targets');
  }
  const inputs = integer(spec.inputs, 'inputs', 1, LIMITS.units);
  if (x.length === 0 || x.length % inputs) fail(`x has ${x.length} values, not a whole number of rows of ${inputs} inputs`);
  const samples = x.length / inputs;
  // refused before anything is copied into wasm memory
  if (samples > LIMITS.samples) fail(`x has ${samples} rows; the limit is ${LIMITS.samples} samples`);
  if (x.length > LIMITS.dataFloats) fail(`x has ${x.length} values (samples x inputs); the limit is ${LIMITS.dataFloats}`);
  if (y.length > LIMITS.dataFloats) fail(`y has ${y.length} values (samples x outputs); the limit is ${LIMITS.dataFloats}`);
  const testFraction = numeric(spec.testFraction, 'testFraction', 0);
  const seed = integer(spec.seed, 'seed', 0, 0xffffffff, 1);
  let classes = 0;
  let outputs = 1;
  if (y instanceof Int32Array) {
    if (y.length !== samples) fail(`y has ${y.length} class ids but x has ${samples} rows`);
    let most = 0;
    for (let i = 0; i < y.length; ++i) {
      if (y[i] < 0 || y[i] >= LIMITS.units) fail(`y[${i}] is ${y[i]}; class ids must be integers 0..${LIMITS.units - 1}`);
      most = Math.max(most, y[i]);
    }
    classes = int32(spec.classes, 'classes', Math.max(2, most + 1));
    // 0 classes tells the engine the rows are regression targets, which class ids are not
    if (classes === 0) fail(`classes 0 is not allowed for class ids; it must be an integer from 2 to ${LIMITS.units}`);
  } else {
    outputs = int32(spec.outputs, 'outputs', y.length / samples);
    if (y.length !== samples * outputs) fail(`y has ${y.length} targets, not ${samples} rows of ${outputs} outputs`);
    if (spec.classes) fail('classes is for class ids; give y as an Int32Array');
  }
  const handle = core.scoped((take) => core.call('gl_dataset_load', take(x), take(y), samples, inputs, outputs,
    classes, testFraction, seed >>> 0));
  const made = new Dataset(core, handle, 'custom');
  // the rows as given (kept by reference, not copied), so a saved run can carry its own data
  made.spec = { name: 'custom', options: { x, y, inputs, outputs, classes, testFraction, seed } };
  return made;
}
