// engines.mjs: one adapter per trainer in the benchmark. Each prepare(net, data) returns
// { unit, run(units), dispose() }: run trains `units` steps (or, for per-sample trainers,
// `units` batches' worth of samples) and returns the samples it trained on.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { loadGradlab } from '../web/lib/gradlab.js';

const require = createRequire(import.meta.url);

// ---- gradlab in wasm (SIMD or scalar build) ----
/** kernel: a GEMM micro-kernel variant to force (SIMD build), or undefined to let the load choose;
 * wasmBase: a folder (URL) holding other builds of the two modules (bench/against.mjs), or undefined */
export async function gradlabEngine(simd, kernel, wasmBase) {
  const lab = await loadGradlab({ simd, ...(simd && kernel ? { kernel } : {}), ...(wasmBase ? { wasmBase } : {}) });
  return {
    name: simd ? 'gradlab SIMD' : 'gradlab scalar', optimizer: 'Adam', lab,
    prepare(net, data) {
      const d = lab.dataset({ x: data.x, y: data.y, inputs: net.inputs, testFraction: 0 });
      const n = lab.network({
        inputs: net.inputs, loss: 'cross-entropy', seed: 1,
        layers: [...net.hidden.map((units) => ({ units, activation: net.activation })), { units: net.classes, activation: 'softmax' }],
      });
      n.setOptimizer({ name: 'adam', learningRate: 1e-3 });
      return {
        run(steps) { n.train(d, { steps, batchSize: net.batch }); return steps * net.batch; },
        dispose() { n.dispose(); d.dispose(); },
      };
    },
  };
}

// ---- the same C core built natively, timed inside its own process ----
export function nativeEngine(binary) {
  return {
    name: 'gradlab native', optimizer: 'Adam', external: true,
    prepare(net) {
      return {
        /** returns { samples, seconds } measured by the program itself */
        runTimed(steps) {
          const act = { relu: 1, tanh: 3 }[net.activation];
          const out = execFileSync(binary, [net.inputs, net.batch, net.classes, act, net.hidden.join(','), steps].map(String),
            { encoding: 'utf8' });
          return JSON.parse(out);
        },
        dispose() {},
      };
    },
  };
}

// ---- TensorFlow.js (tfjs-core 4.22 with the wasm or cpu backend), Adam through optimizer.minimize ----
let tfModule = null;
export const tfjsWasmLoaded = [];
async function loadTf() {
  if (tfModule) return tfModule;
  // record which .wasm file the wasm backend reads, to show that the SIMD binary loaded
  for (const name of ['readFileSync', 'readFile']) {
    const original = fs[name];
    fs[name] = function (path, ...rest) {
      if (String(path).endsWith('.wasm')) tfjsWasmLoaded.push(String(path).split('/').pop());
      return original.call(this, path, ...rest);
    };
  }
  const tf = require('@tensorflow/tfjs'); // core with every gradient registered, cpu backend
  require('@tensorflow/tfjs-backend-wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // one thread, like gradlab
  tfModule = tf;
  return tf;
}

export async function tfjsEngine(backend) {
  const tf = await loadTf();
  await tf.setBackend(backend);
  await tf.ready();
  const info = { version: tf.version.tfjs };
  if (backend === 'wasm') {
    info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    info.binary = tfjsWasmLoaded.join(', ');
  }
  return {
    name: `tfjs-${backend}`, optimizer: 'Adam', info, tf,
    async activate() { await tf.setBackend(backend); },
    prepare(net, data) {
      const sizes = [net.inputs, ...net.hidden, net.classes];
      const vars = [];
      for (let l = 0; l + 1 < sizes.length; ++l) {
        const limit = Math.sqrt(6 / (sizes[l] + sizes[l + 1]));
        vars.push(tf.variable(tf.randomUniform([sizes[l], sizes[l + 1]], -limit, limit, 'float32', l + 1)));
        vars.push(tf.variable(tf.zeros([sizes[l + 1]])));
      }
      const X = tf.tensor2d(data.x, [data.rows, net.inputs]);
      const Y = tf.cast(tf.oneHot(tf.tensor1d(data.y, 'int32'), net.classes), 'float32');
      const opt = tf.train.adam(1e-3);
      const act = net.activation === 'relu' ? tf.relu : tf.tanh;
      let cursor = 0;
      return {
        run(steps) {
          for (let s = 0; s < steps; ++s) {
            if (cursor + net.batch > data.rows) cursor = 0;
            const start = cursor; cursor += net.batch;
            tf.tidy(() => {
              const xb = tf.slice(X, [start, 0], [net.batch, net.inputs]), yb = tf.slice(Y, [start, 0], [net.batch, net.classes]);
              opt.minimize(() => {
                let h = xb;
                for (let l = 0; l < vars.length; l += 2) {
                  h = tf.add(tf.matMul(h, vars[l]), vars[l + 1]);
                  if (l + 2 < vars.length) h = act(h);
                }
                return tf.losses.softmaxCrossEntropy(yb, h);
              });
            });
          }
          vars[0].dataSync(); // the work is done before the clock stops
          return steps * net.batch;
        },
        dispose() { for (const v of vars) v.dispose(); X.dispose(); Y.dispose(); opt.dispose(); },
      };
    },
  };
}

// ---- ConvNetJS 0.3: no Adam (its trainer has sgd, adagrad, adadelta, windowgrad): SGD + momentum 0.9 ----
export function convnetEngine() {
  const convnetjs = require('convnetjs');
  return {
    name: 'ConvNetJS', optimizer: 'SGD+momentum',
    prepare(net, data) {
      const defs = [{ type: 'input', out_sx: 1, out_sy: 1, out_depth: net.inputs }];
      for (const units of net.hidden) defs.push({ type: 'fc', num_neurons: units, activation: net.activation });
      defs.push({ type: 'softmax', num_classes: net.classes });
      const model = new convnetjs.Net();
      model.makeLayers(defs);
      const trainer = new convnetjs.Trainer(model, { method: 'sgd', learning_rate: 0.01, momentum: 0.9, batch_size: net.batch, l2_decay: 0 });
      const vols = [];
      for (let i = 0; i < data.rows; ++i) {
        const v = new convnetjs.Vol(1, 1, net.inputs, 0);
        for (let d = 0; d < net.inputs; ++d) v.w[d] = data.x[i * net.inputs + d];
        vols.push(v);
      }
      let cursor = 0;
      return {
        run(steps) {
          for (let i = 0; i < steps * net.batch; ++i) {
            trainer.train(vols[cursor], data.y[cursor]);
            cursor = (cursor + 1) % data.rows;
          }
          return steps * net.batch;
        },
        dispose() {},
      };
    },
  };
}

// ---- brain.js 1.6.1: per-sample SGD + momentum 0.9, MSE on outputs with the hidden activation ----
export function brainEngine() {
  const brain = require('brain.js');
  return {
    name: 'brain.js', optimizer: 'SGD+momentum, per sample, MSE',
    prepare(net, data) {
      const model = new brain.NeuralNetwork({ hiddenLayers: net.hidden, activation: net.activation, learningRate: 0.01, momentum: 0.9 });
      const rows = [];
      for (let i = 0; i < data.rows; ++i) {
        const output = new Array(net.classes).fill(0);
        output[data.y[i]] = 1;
        rows.push({ input: Array.from(data.x.subarray(i * net.inputs, (i + 1) * net.inputs)), output });
      }
      let cursor = 0;
      return {
        run(steps) {
          const n = steps * net.batch, chunk = [];
          for (let i = 0; i < n; ++i) { chunk.push(rows[cursor]); cursor = (cursor + 1) % rows.length; }
          model.train(chunk, { iterations: 1, errorThresh: 1e-9, log: false });
          return n;
        },
        dispose() {},
      };
    },
  };
}
