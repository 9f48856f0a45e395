// labels.js: the words the page and the embed show for settings and runs, written once. Pure.
import { fmt, pct } from './format.js';
import { LIVE_KEYS, runState } from './state.js';

/** A field's label on the page. */
export const LABELS = {
  data: 'Data set', classes: 'Classes', size: 'Image size', dataSeed: 'Data seed (0 = seed)', samples: 'Samples', noise: 'Noise', test: 'Test share', seed: 'Seed',
  loss: 'Loss', dropoutMode: 'Dropout mode', init: 'Initialisation', initStd: 'Init std (normal)', opt: 'Optimiser',
  lr: 'Learning rate', momentum: 'Momentum', beta1: 'Adam β1', beta2: 'Adam β2', alpha: 'RMSprop α', sched: 'Schedule',
  stepSize: 'Step size', gamma: 'Gamma', period: 'Restart period', mult: 'Period ×', decaySteps: 'Decay steps',
  minLr: 'Min rate', maxLr: 'Max rate (0 = 10×)', warmup: 'Warm-up steps', l1: 'L1', l2: 'L2', wd: 'Weight decay',
  clip: 'Clip norm (0 off)', batch: 'Batch (0 = all)', surface: 'Surface', raceLr: 'Learning rate', raceNoise: 'Gradient noise',
  raceSteps: 'Steps', build: 'Engine build', layers: 'Layers', speed: 'Speed', runs: 'Runs', mode: 'Mode', racers: 'Optimisers',
  raceX: 'Start x', raceY: 'Start y',
};

/** Shorter words where the embed's bar has less room than the page's side panel. */
export const SHORT_LABELS = {
  ...LABELS, data: 'Data', dataSeed: 'Data seed', dropoutMode: 'Dropout', init: 'Init', initStd: 'Init std', beta1: 'β1', beta2: 'β2',
  alpha: 'α', period: 'Period', maxLr: 'Max rate', warmup: 'Warm-up', clip: 'Clip norm', batch: 'Batch',
};

/** One sentence on the GEMM micro-kernel an engine runs, from a ready event's `kernel` (protocol.js; pending: kernel-share.js). */
export function kernelLine({ variant, forced, settled, calibrationMs, count, pending = false }) {
  if (count <= 1) return `Matrix products: the ${variant} kernel, plain loops (this build has no SIMD variants to choose from).`;
  if (pending) return `Matrix products: the ${variant} micro-kernel for now; the ${count} variants are timed on this CPU once the page has loaded.`;
  if (forced) return `Matrix products: the ${variant} micro-kernel, as asked for (not timed).`;
  if (!settled) return `Matrix products: the ${variant} micro-kernel, the default (the timing was cut short, ${calibrationMs.toFixed(0)} ms).`;
  return `Matrix products: the ${variant} micro-kernel, the fastest of ${count} timed on this CPU (${calibrationMs.toFixed(0)} ms).`;
}

/**
 * A diverged run's status: it stays diverged when its settings change (session.js), so once they
 * differ from those it diverged with (run.divergedWith) it says they wait for Reset.
 */
function divergedText(run, state, step) {
  const now = runState(state, run.overrides), then = run.divergedWith;
  const why = 'the loss or a gradient became NaN or infinite';
  if (!then || LIVE_KEYS.every((k) => then[k] === now[k])) return `Diverged at step ${step}: ${why}. Lower the learning rate (now ${now.lr}) and press Reset.`;
  const next = then.lr !== now.lr ? `the new learning rate ${now.lr}` : 'the new settings';
  return `Diverged at step ${step} at learning rate ${then.lr}: ${why}. It stays there: press Reset to start again with ${next}.`;
}

/**
 * What a run's status line says: { text, accuracy ('' when the run has none), bad }. `text` is the
 * first line (the compare cards show only it); the accuracy goes below it or after it.
 */
export function runStatus(run, state) {
  if (run.fault) return { text: run.fault.text, accuracy: '', bad: true };   // its worker failed (faults.js)
  if (run.error) return { text: `Error: ${run.error}`, accuracy: '', bad: true };
  const s = run.last;
  if (!s) return { text: 'building…', accuracy: '', bad: false };
  if (s.status === 'diverged') return { text: divergedText(run, state, s.divergedAt ?? s.step), accuracy: '', bad: true };
  const accuracy = s.train.accuracy == null ? '' : `accuracy train ${pct(s.train.accuracy)} · test ${pct(s.test.accuracy)}`;
  return { text: `step ${s.step} · loss train ${fmt(s.train.loss)} · test ${fmt(s.test.loss)}`, accuracy, bad: false };
}
