// Declarations for web/embed/gradlab-embed.js, the <gradlab-playground> element
// (`import 'gradlab/embed'`, or a <script type="module"> pointing at the file). See docs/embedding.md.

/** Settings of the element: the keys of the page's address (web/app/state.js), as values or text. */
export interface PlaygroundState {
  lesson?: string;
  mode?: 'train' | 'compare' | 'race';
  data?: string;
  classes?: number;
  samples?: number;
  noise?: number;
  test?: number;
  /** hidden layers, e.g. '32_tanh,32_tanh_bn' */
  layers?: string;
  loss?: 'auto' | 'cross-entropy' | 'binary-cross-entropy' | 'mse';
  dropoutMode?: 'inverted' | 'classic';
  init?: string;
  initStd?: number;
  opt?: string;
  lr?: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  alpha?: number;
  wd?: number;
  clip?: number;
  l1?: number;
  l2?: number;
  sched?: string;
  stepSize?: number;
  gamma?: number;
  period?: number;
  mult?: number;
  decaySteps?: number;
  minLr?: number;
  maxLr?: number;
  warmup?: number;
  batch?: number;
  seed?: number;
  speed?: number;
  /** compare runs, e.g. 'init:zeros~init:xavier' */
  runs?: string;
  surface?: string;
  /** race optimisers, e.g. 'sgd~momentum' */
  racers?: string;
  raceLr?: number;
  raceX?: number | null;
  raceY?: number | null;
  raceNoise?: number;
  raceSteps?: number;
  build?: 'auto' | 'scalar';
}

/** The patch set() takes: state keys (or the aliases optimizer, dataset, learning-rate, ...) to values. */
export type PlaygroundPatch = { [key in keyof PlaygroundState]?: PlaygroundState[key] | string } & Record<string, string | number | null | undefined>;

export interface PlaygroundReadyDetail {
  lesson: string;
  mode: 'train' | 'compare' | 'race';
  /** runs (compare) or optimisers (race) */
  runs: number;
  /** whether the workers run the SIMD build */
  simd: boolean | null;
}

export interface PlaygroundRunStep {
  label: string;
  status: 'ok' | 'diverged' | 'error';
  step?: number;
  loss?: number | null;
  accuracy?: number | null;
  learningRate?: number | null;
}

/** At most about four per second: the first run's numbers, and every run's in `runs`. */
export interface PlaygroundStepDetail {
  step: number;
  /** training loss over the whole training split */
  loss: number | null;
  /** training accuracy; null for regression and races */
  accuracy: number | null;
  testLoss?: number | null;
  testAccuracy?: number | null;
  learningRate: number | null;
  status?: 'ok' | 'diverged' | 'error';
  runs: PlaygroundRunStep[];
}

export interface PlaygroundDivergedDetail {
  /** index of the run that diverged */
  run: number;
  label: string;
  /** the step at which the loss or a gradient stopped being finite */
  step: number;
  learningRate: number;
}

export interface PlaygroundErrorDetail {
  message: string;
}

export interface GradlabPlaygroundEventMap extends HTMLElementEventMap {
  'gradlab-ready': CustomEvent<PlaygroundReadyDetail>;
  'gradlab-step': CustomEvent<PlaygroundStepDetail>;
  'gradlab-diverged': CustomEvent<PlaygroundDivergedDetail>;
  'gradlab-error': CustomEvent<PlaygroundErrorDetail>;
}

/**
 * <gradlab-playground lesson="small-init" controls="init,optimizer,play" autoplay compact theme="dark" height="480">.
 * Attributes: lesson, any state key (lower-case in HTML: initstd), controls, autoplay, compact, theme, height,
 * and base: the http(s) address of the folder holding app/, embed/, lib/, wasm/ when the files are not beside
 * the script (default for the page: <meta name="gradlab-base" content="...">).
 */
export class GradlabPlayground extends HTMLElement {
  static readonly observedAttributes: string[];
  /** a copy of the current settings */
  readonly state: Required<PlaygroundState>;
  /** what the attributes held that could not be used */
  readonly notes: string[];
  readonly playing: boolean;
  play(): void;
  pause(): void;
  /** one training step of every run */
  step(): void;
  /** the same settings from the start (same seed, same run) */
  reset(): void;
  /** changes settings; throws an Error naming the key and value it cannot use, and then changes nothing */
  set(patch: PlaygroundPatch | string): void;
  addEventListener<K extends keyof GradlabPlaygroundEventMap>(type: K, listener: (this: GradlabPlayground, ev: GradlabPlaygroundEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof GradlabPlaygroundEventMap>(type: K, listener: (this: GradlabPlayground, ev: GradlabPlaygroundEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'gradlab-playground': GradlabPlayground;
  }
}

/** Messages embed.html posts to its parent window: an event's detail with its type. */
export type FrameMessage =
  | ({ type: 'gradlab-ready' } & PlaygroundReadyDetail)
  | ({ type: 'gradlab-step' } & PlaygroundStepDetail)
  | ({ type: 'gradlab-diverged' } & PlaygroundDivergedDetail)
  | ({ type: 'gradlab-error' } & PlaygroundErrorDetail);

/**
 * Commands the parent may post to embed.html. With `parent=https://lms.example[,...]` in the frame's
 * address, the frame posts its messages only to a listed origin and takes commands only from one.
 */
export type FrameCommand =
  | { type: 'gradlab-play' | 'gradlab-pause' | 'gradlab-reset' | 'gradlab-step-once' }
  | { type: 'gradlab-set'; state: PlaygroundPatch | string };
