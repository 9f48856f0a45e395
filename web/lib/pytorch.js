// pytorch.js: a gradlab run as one self-contained PyTorch script (net.toPyTorch, `gradlab pytorch`).
// The script builds the same model as an nn.Module, loads the same initial weights and data rows,
// replays gradlab's batch rows and dropout masks (recorded by replay.js), trains with the same
// optimiser and schedule, and prints the loss of every step. Pure JS with no Node-only imports, so
// the page's worker can call it as well.
import { recordRun } from './replay.js';

/** The Python source of a script that replays `options.steps` steps of net on data (see recordRun). */
export function pytorchScript(net, data, options = {}) {
  return writeScript(recordRun(net, data, options));
}

// ---- Python literals ----

/** A float as Python reads it, at float32's precision (0.01, not 0.009999999776). */
const num = (x) => String(Number(Number(x).toPrecision(7)));
const py = (v) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'number' ? num(v) : v === null ? 'None' : `'${v}'`);

/** A typed array's bytes (little-endian, as wasm and every common CPU store them) in base64. */
function base64(array) {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

// ---- the model ----

const ACTIVATION_MODULES = {
  relu: () => 'nn.ReLU()', tanh: () => 'nn.Tanh()', sigmoid: () => 'nn.Sigmoid()',
  'leaky-relu': (l) => `nn.LeakyReLU(${num(l.slope)})`, softmax: () => 'nn.Softmax(dim=1)',
};

function describeLayer(l) {
  const parts = [l.type];
  if (l.type === 'dense') parts.push(`${l.units} units`, l.activation);
  if (l.type === 'conv') parts.push(`${l.units} filters ${l.kernel}x${l.kernel}`, `stride ${l.stride}`, `padding '${l.padding}'`, l.activation);
  if (l.type === 'pool') parts.push(`${l.mode} 2x2`);
  if (l.type === 'dense' || l.type === 'conv') parts.push(l.bias ? 'bias' : 'bias: false');
  if (l.batchNorm) parts.push(`batchNorm ${l.batchNorm.after ? 'after' : 'before'} the activation (momentum ${num(l.batchNorm.momentum)}, epsilon ${num(l.batchNorm.epsilon)})`);
  if (l.dropout) parts.push(`dropout ${num(l.dropout)}`);
  return parts.join(', ');
}

/** [name, constructor] rows of the nn.Sequential, and the parameters each gradlab layer maps to. */
function modelRows(run) {
  const { layers, loss } = run.network;
  const rows = [], params = [], dropouts = [];
  let image = false;
  layers.forEach((l, i) => {
    const last = i === layers.length - 1;
    rows.push([null, `# layers[${i}]: ${describeLayer(l)}`]);
    const [h, w, c] = l.input;
    if ((l.type === 'conv' || l.type === 'pool') && !image) {
      rows.push([`to_nchw${i}`, `ChannelsFirst(${h}, ${w}, ${c})`]);
      image = true;
    }
    if ((l.type === 'dense' || l.type === 'flatten') && image) {
      rows.push([`flatten${i}`, 'FlattenChannelsLast()']);
      image = false;
    }
    if (l.type === 'dense') {
      rows.push([`dense${i}`, `nn.Linear(${h * w * c}, ${l.units}${l.bias ? '' : ', bias=False'})`]);
      params.push({ layer: i, module: `dense${i}`, kind: 'dense', inputs: h * w * c, units: l.units });
    }
    if (l.type === 'conv') {
      const [t, b, left, right] = l.pad;
      if (t || b || left || right) rows.push([`pad${i}`, `nn.ZeroPad2d((${left}, ${right}, ${t}, ${b}))`, `padding '${l.padding}': left, right, top, bottom`]);
      rows.push([`conv${i}`, `nn.Conv2d(${c}, ${l.units}, ${l.kernel}, stride=${l.stride}${l.bias ? '' : ', bias=False'})`]);
      params.push({ layer: i, module: `conv${i}`, kind: 'conv', kernel: l.kernel, channels: c, units: l.units });
    }
    if (l.type === 'pool') rows.push([`pool${i}`, l.mode === 'max' ? 'nn.MaxPool2d(2)' : 'nn.AvgPool2d(2)']);
    const norm = l.batchNorm && `nn.BatchNorm${l.type === 'conv' ? '2d' : '1d'}(${l.output[2]}, eps=${num(l.batchNorm.epsilon)}, momentum=${num(l.batchNorm.momentum)})`;
    if (norm && !l.batchNorm.after) rows.push([`norm${i}`, norm]);
    const activation = ACTIVATION_MODULES[l.activation];
    if (activation && !(last && loss !== 'mse')) rows.push([`act${i}`, activation(l)]);
    else if (last && loss !== 'mse') rows.push([null, `# (the ${l.activation} is inside the loss: the model returns logits)`]);
    if (norm && l.batchNorm.after) rows.push([`norm${i}`, norm]);
    if (l.batchNorm) params.push({ layer: i, module: `norm${i}`, kind: 'norm' });
    if (l.dropout > 0) {
      rows.push([`drop${i}`, `ReplayedDropout(${num(l.dropout)}, '${run.network.dropoutMode}'${image ? `, image_shape=(${l.output.join(', ')})` : ''})`]);
      dropouts.push({ layer: i, module: `drop${i}` });
    }
  });
  return { rows, params, dropouts };
}

// ---- optimiser and schedule ----

function optimizerCode(o) {
  const wd = `weight_decay=${num(o.weightDecay)}`;
  switch (o.name) {
    case 'sgd': return `torch.optim.SGD(model.parameters(), lr=${num(o.learningRate)}, ${wd})`;
    case 'momentum':
    case 'nesterov':
      return `torch.optim.SGD(model.parameters(), lr=${num(o.learningRate)}, momentum=${num(o.momentum)}${o.name === 'nesterov' ? ', nesterov=True' : ''}, ${wd})`;
    case 'adagrad': return `torch.optim.Adagrad(model.parameters(), lr=${num(o.learningRate)}, eps=${num(o.epsilon)}, ${wd})`;
    case 'rmsprop':
      return `torch.optim.RMSprop(model.parameters(), lr=${num(o.learningRate)}, alpha=${num(o.alpha)}, eps=${num(o.epsilon)}, ${wd}, momentum=${num(o.momentum)}, centered=${py(o.centered)})`;
    default:
      return `torch.optim.${o.name === 'adamw' ? 'AdamW' : 'Adam'}(model.parameters(), lr=${num(o.learningRate)}, betas=(${num(o.beta1)}, ${num(o.beta2)}), eps=${num(o.epsilon)}, ${wd})`;
  }
}

/** gradlab's rate at step t (src/schedule.c) as a Python expression body, for LambdaLR. */
function rateFunction(o) {
  const s = o.schedule, lr = num(o.learningRate), min = num(s.minLearningRate);
  const body = {
    constant: [`rate = ${lr}`],
    step: [`rate = ${lr} * ${num(s.gamma)} ** math.floor(t / ${num(s.stepSize)})`],
    exponential: [`rate = ${lr} * ${num(s.gamma)} ** t`],
    'inverse-time': [`rate = ${lr} / (1 + ${num(s.decay)} * t)`],
    cosine: [`rate = ${min} + 0.5 * (${lr} - ${min}) * (1 + math.cos(math.pi * min(t, ${num(s.steps)}) / ${num(s.steps)}))  # holds the minimum after ${num(s.steps)} steps`],
    sgdr: [`period, tc = ${num(s.period)}, t`, 'while tc >= period:  # restarts at 0, T0, T0 + T0 * T_mult, ...',
      `    tc, period = tc - period, period * ${num(s.periodMultiplier)}`,
      `rate = ${min} + 0.5 * (${lr} - ${min}) * (1 + math.cos(math.pi * tc / period))`],
    cyclic: [`cycle = math.floor(1 + t / (2 * ${num(s.stepSize)}))`, `x = abs(t / ${num(s.stepSize)} - 2 * cycle + 1)`,
      `height = (${num(s.maxLearningRate)} - ${lr}) * max(0.0, 1 - x)`,
      ...(s.mode === 'triangular2' ? ['height /= 2 ** (cycle - 1)'] : s.mode === 'exp_range' ? [`height *= ${num(s.gamma)} ** t`] : []),
      `rate = ${lr} + height`],
  }[s.name];
  if (s.warmup > 0) body.push(`if t < ${num(s.warmup)}:  # warmup: a linear ramp over the first steps`, `    rate *= (t + 1) / ${num(s.warmup)}`);
  return ['def gradlab_rate(t):', `    """gradlab's schedule '${s.name}' at step t (0, 1, ...)."""`, ...body.map((line) => `    ${line}`), '    return rate'].join('\n');
}

/** { code, fn }: the scheduler, a torch class where it gives gradlab's curve over the run, else LambdaLR. */
function schedulerCode(o, steps) {
  const s = o.schedule;
  const whole = (v) => Number.isInteger(v);
  const exact = s.warmup > 0 ? null : {
    constant: null,
    step: whole(s.stepSize) ? `torch.optim.lr_scheduler.StepLR(optimizer, step_size=${s.stepSize}, gamma=${num(s.gamma)})` : null,
    exponential: `torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=${num(s.gamma)})`,
    'inverse-time': null,
    cosine: whole(s.steps) && s.steps >= steps ? `torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=${s.steps}, eta_min=${num(s.minLearningRate)})` : null,
    sgdr: whole(s.period) ? `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=${s.period}, T_mult=${s.periodMultiplier}, eta_min=${num(s.minLearningRate)})` : null,
    cyclic: `torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=${num(o.learningRate)}, max_lr=${num(s.maxLearningRate)}, step_size_up=${num(s.stepSize)}, mode='${s.mode}', gamma=${num(s.gamma)}, cycle_momentum=False)`,
  }[s.name];
  if (s.name === 'constant' && !(s.warmup > 0)) return { code: 'None  # gradlab schedule: constant', fn: null };
  if (exact) return { code: `${exact}  # gradlab schedule '${s.name}'`, fn: null };
  const why = s.warmup > 0 ? 'with warm-up' : s.name === 'inverse-time' ? 'torch has no inverse-time class'
    : s.name === 'cosine' ? 'CosineAnnealingLR would turn back up after T_max; gradlab holds the minimum' : 'a fractional step size';
  return { code: `torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: gradlab_rate(t) / ${num(o.learningRate)})  # gradlab schedule '${s.name}' (${why})`, fn: rateFunction(o) };
}

// ---- the script ----

const LOSS_CODE = {
  'cross-entropy': ['# gradlab loss \'cross-entropy\' (softmax output, class ids): nn.CrossEntropyLoss on the logits',
    'loss_fn = nn.CrossEntropyLoss()'],
  'binary-cross-entropy': ['# gradlab loss \'binary-cross-entropy\' (sigmoid outputs): summed over the outputs, averaged over the rows',
    'def loss_fn(logits, y):', '    return nn.functional.binary_cross_entropy_with_logits(logits, targets(y), reduction=\'sum\') / len(y)'],
  mse: ['# gradlab loss \'mse\': the mean of the squared errors over rows and outputs', 'def loss_fn(out, y):', '    return nn.functional.mse_loss(out, targets(y))'],
};

function writeScript(run) {
  const { network: net, optimizer: o, data, steps, rowsPerStep } = run;
  const { rows, params, dropouts } = modelRows(run);
  const schedule = schedulerCode(o, steps);
  const classes = data.classes, outputs = net.layers.at(-1).output[2];
  const hasTest = data.test.count > 0;
  const penalised = params.filter((p) => p.kind !== 'norm')
    .map((p) => ({ ...p, l1: o.l1 * net.layers[p.layer].l1Scale, l2: o.l2 * net.layers[p.layer].l2Scale }))
    .filter((p) => p.l1 > 0 || p.l2 > 0);
  const blobs = {};
  const load = [];
  for (const p of params) {
    const init = run.initial[p.layer];
    if (p.kind === 'dense') {
      blobs[`${p.module}.weight`] = init.weights;
      load.push(`model.${p.module}.weight.copy_(floats(INITIAL['${p.module}.weight'], ${p.inputs}, ${p.units}).T)`);
    } else if (p.kind === 'conv') {
      blobs[`${p.module}.weight`] = init.weights;
      load.push(`model.${p.module}.weight.copy_(floats(INITIAL['${p.module}.weight'], ${p.kernel}, ${p.kernel}, ${p.channels}, ${p.units}).permute(3, 2, 0, 1))`);
    } else {
      for (const [gradlab, torch] of [['gamma', 'weight'], ['beta', 'bias'], ['runningMean', 'running_mean'], ['runningVar', 'running_var']]) {
        blobs[`${p.module}.${torch}`] = init[gradlab];
        load.push(`model.${p.module}.${torch}.copy_(floats(INITIAL['${p.module}.${torch}'], ${init[gradlab].length}))  # ${gradlab}`);
      }
    }
    if (p.kind !== 'norm' && init.biases) {
      blobs[`${p.module}.bias`] = init.biases;
      load.push(`model.${p.module}.bias.copy_(floats(INITIAL['${p.module}.bias'], ${init.biases.length}))`);
    }
  }
  const yRead = (split) => (classes ? `ints(DATA['y_${split}'], N_${split.toUpperCase()})` : `floats(DATA['y_${split}'], N_${split.toUpperCase()}, ${data.outputs})`);
  const targets = classes
    ? outputs === 1 ? 'return y.float().unsqueeze(1)  # class ids 0/1 as targets of the one output' : `return nn.functional.one_hot(y, ${outputs}).float()  # class ids as one-hot rows`
    : 'return y';
  const accuracy = !classes ? null : outputs === 1
    ? `(out > ${net.loss === 'mse' ? (net.layers.at(-1).activation === 'tanh' ? '0' : '0.5') : '0'}).long().squeeze(1)`
    : 'out.argmax(1)';
  const spec = JSON.stringify(run.optimizerSpec);
  const lines = [
    '#!/usr/bin/env python3',
    '"""A gradlab run as a PyTorch script (written by gradlab: net.toPyTorch / `gradlab pytorch`).',
    '',
    `gradlab network:   inputs ${JSON.stringify(net.inputShape)}, loss '${net.loss}', dropoutMode '${net.dropoutMode}', seed ${net.seed}`,
    ...net.layers.map((l, i) => `  layers[${i}]: ${describeLayer(l)}`),
    `gradlab optimizer: ${spec}`,
    `gradlab training:  ${steps} steps, batchSize ${run.batchSize} (${rowsPerStep} rows per step); data '${data.name}', ${data.train.count} training and ${data.test.count} test rows`,
    '',
    'The same model as an nn.Module, the same initial weights and data rows, gradlab\'s batch order and',
    'dropout masks, the same optimiser and schedule, the same steps. Run it with:',
    '    python3 script.py          the loss of every step, then the final losses',
    '    python3 script.py --json   {"history": [{"step": 1, "loss": ...}, ...], "final": ...} as `gradlab train --json` has it',
    'It needs only torch. gradlab keeps images channel-last (height, width, channel) and PyTorch',
    'channel-first, so the model turns rows into (N, C, H, W) for convolutions and back before dense layers.',
    '"""',
    'import base64',
    'import json',
    'import math',
    'import sys',
    'from collections import OrderedDict',
    '',
    'import torch',
    'from torch import nn',
    '',
    `STEPS = ${steps}  # gradlab: steps`,
    `BATCH_ROWS = ${rowsPerStep}  # gradlab: batchSize ${run.batchSize}${run.batches ? '' : ' (the whole training split each step)'}`,
    `N_TRAIN, N_TEST, INPUTS = ${data.train.count}, ${data.test.count}, ${data.inputs}`,
    '',
    '',
    'def raw(text, dtype):',
    '    return torch.frombuffer(bytearray(base64.b64decode(text)), dtype=dtype)',
    '',
    '',
    'def floats(text, *shape):',
    '    """float32 values, little-endian, in base64."""',
    '    return raw(text, torch.float32).reshape(shape).clone()',
    '',
    '',
    'def ints(text, *shape):',
    '    """int32 values, little-endian, in base64, as int64 indices."""',
    '    return raw(text, torch.int32).reshape(shape).long()',
    '',
    '',
    'def bits(text, *shape):',
    '    """0/1 values packed eight to a byte, lowest bit first, in base64."""',
    '    unpacked = (raw(text, torch.uint8).unsqueeze(1) >> torch.arange(8, dtype=torch.uint8)) & 1',
    '    return unpacked.flatten()[:math.prod(shape)].reshape(shape).float()',
    '',
    '',
    'class ChannelsFirst(nn.Module):',
    '    """gradlab\'s rows of height * width * channel values (channel last) as (N, C, H, W)."""',
    '    def __init__(self, height, width, channels):',
    '        super().__init__()',
    '        self.shape = (height, width, channels)',
    '',
    '    def forward(self, x):',
    '        return x.reshape(-1, *self.shape).permute(0, 3, 1, 2)',
    '',
    '',
    'class FlattenChannelsLast(nn.Module):',
    '    """(N, C, H, W) back to flat rows in gradlab\'s order (height, width, channel), as its flatten and dense layers read them."""',
    '    def forward(self, x):',
    '        return x.permute(0, 2, 3, 1).flatten(1)',
    '',
    '',
    'class ReplayedDropout(nn.Module):',
    '    """gradlab\'s dropout with gradlab\'s masks (1 kept, 0 dropped; set .mask before each training step).',
    '    inverted: training scales kept units by 1 / (1 - p), evaluation passes through (like nn.Dropout);',
    '    classic: training leaves kept units as they are, evaluation multiplies by 1 - p."""',
    '    def __init__(self, p, mode, image_shape=None):  # image_shape: (height, width, channels) of an image layer\'s output',
    '        super().__init__()',
    '        self.p, self.mode, self.image_shape, self.mask = p, mode, image_shape, None',
    '',
    '    def forward(self, x):',
    '        if not self.training:',
    '            return x * (1 - self.p) if self.mode == \'classic\' else x',
    '        mask = self.mask if self.image_shape is None else self.mask.reshape(-1, *self.image_shape).permute(0, 3, 1, 2)',
    '        return x * mask / (1 - self.p) if self.mode == \'inverted\' else x * mask',
    '',
    '',
    'def gradlab_net():',
    '    return nn.Sequential(OrderedDict([',
    ...rows.map(([name, code, comment]) => (name ? `        ('${name}', ${code}),${comment ? `  # ${comment}` : ''}` : `        ${code}`)),
    '    ]))',
    '',
    '',
    'def load_initial_weights(model):',
    '    """gradlab\'s parameters before the first step. gradlab stores a dense layer\'s weights as',
    '    (inputs x units) and a convolution\'s as (kernel row, kernel column, input channel) x filters."""',
    '    with torch.no_grad():',
    ...load.map((l) => `        ${l}`),
    '',
    '',
    ...(net.loss === 'cross-entropy' ? [] : ['def targets(y):', `    ${targets}`, '', '']),
    ...LOSS_CODE[net.loss],
    '',
    '',
    'def penalty(model):',
    penalised.length
      ? `    """gradlab's l1 ${num(o.l1)} and l2 ${num(o.l2)} (times each layer's l1Scale, l2Scale), on the weights only: l1 sum|w| + l2/2 sum w^2."""`
      : '    """gradlab\'s l1 and l2 are 0: no penalty."""',
    penalised.length
      ? `    return sum(l1 * w.abs().sum() + 0.5 * l2 * (w * w).sum() for w, l1, l2 in [${penalised.map((p) => `(model.${p.module}.weight, ${num(p.l1)}, ${num(p.l2)})`).join(', ')}])`
      : '    return 0.0',
    '',
    '',
    ...(schedule.fn ? [schedule.fn, '', ''] : []),
    'def evaluate(model, x, y):',
    '    with torch.no_grad():',
    '        out = model(x)',
    `        return {'loss': loss_fn(out, y).item(), 'accuracy': ${accuracy ? `(${accuracy} == y).float().mean().item()` : 'None'}}`,
    '',
    '',
    'def main():',
    '    as_json = \'--json\' in sys.argv[1:]',
    '    model = gradlab_net()',
    '    load_initial_weights(model)',
    `    x_train, y_train = floats(DATA['x_train'], N_TRAIN, INPUTS), ${yRead('train')}`,
    ...(hasTest ? [`    x_test, y_test = floats(DATA['x_test'], N_TEST, INPUTS), ${yRead('test')}`] : []),
    `    # gradlab optimizer '${o.name}'`,
    `    optimizer = ${optimizerCode(o)}`,
    `    scheduler = ${schedule.code}`,
    run.batches ? '    batches = ints(BATCHES, STEPS, BATCH_ROWS)  # the training rows of each step, in gradlab\'s shuffled order'
      : '    batches = None  # full batch: every training row, every step',
    `    masks = {${dropouts.map((d) => `model.${d.module}: bits(MASKS['${d.module}'], STEPS, BATCH_ROWS, ${run.masks.find((m) => m.layer === d.layer).units})`).join(', ')}}  # gradlab's dropout masks, per step`,
    '    history = []',
    '    model.train()',
    '    for step in range(STEPS):',
    '        xb, yb = (x_train[batches[step]], y_train[batches[step]]) if batches is not None else (x_train, y_train)',
    '        for drop, mask in masks.items():',
    '            drop.mask = mask[step]',
    '        optimizer.zero_grad()',
    '        loss = loss_fn(model(xb), yb)',
    '        (loss + penalty(model)).backward()',
    ...(o.clipNorm > 0 ? [`        nn.utils.clip_grad_norm_(model.parameters(), ${num(o.clipNorm)})  # gradlab: clipNorm`] : []),
    '        optimizer.step()',
    ...(schedule.fn || !schedule.code.startsWith('None') ? ['        scheduler.step()'] : []),
    '        history.append({\'step\': step + 1, \'loss\': loss.item()})',
    '        if not as_json:',
    '            print(f\'step {step + 1:6d}  loss {loss.item():.6f}\')',
    '    model.eval()',
    `    final = {'train': evaluate(model, x_train, y_train), 'test': ${hasTest ? 'evaluate(model, x_test, y_test)' : 'None'}}`,
    '    if as_json:',
    '        print(json.dumps({\'history\': history, \'final\': final}))',
    '    else:',
    '        for split, result in final.items():',
    '            if result:',
    '                print(f"{split}: loss {result[\'loss\']:.6f}" + (f"  accuracy {100 * result[\'accuracy\']:.1f}%" if result[\'accuracy\'] is not None else \'\'))',
    '',
    '',
    '# ---- gradlab\'s numbers: initial weights, data rows, batch rows, dropout masks ----',
    `INITIAL = {\n${Object.entries(blobs).map(([k, v]) => `    '${k}': '${base64(v)}',`).join('\n')}\n}`,
    `DATA = {\n    'x_train': '${base64(data.train.x)}',\n    'y_train': '${base64(data.train.y)}',\n    'x_test': '${base64(data.test.x)}',\n    'y_test': '${base64(data.test.y)}',\n}`,
    `BATCHES = '${run.batches ? base64(run.batches) : ''}'`,
    `MASKS = {\n${dropouts.map((d) => `    '${d.module}': '${base64(run.masks.find((m) => m.layer === d.layer).bits)}',`).join('\n')}\n}`,
    '',
    'if __name__ == \'__main__\':',
    '    main()',
    '',
  ];
  return lines.join('\n');
}
