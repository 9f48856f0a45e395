// main.js: the page. It keeps the state (mirrored in the URL) and composes the views (views/*.js)
// over one run controller (session.js), which owns the workers; nothing here touches the engine.
import { chartsLoaded, loadCharts } from './charts.js';
import { el } from './dom.js';
import { nextTaskPromise, waitFor } from './later.js';
import { pageStarting, Session } from './session.js';
import { PlayGate } from './visibility.js';
import { kernelLine } from './labels.js';
import { lessonLayer } from './lessons.js';
import {
  COMPARE_DEFAULT_RUNS, OWN_DATA, baseState, defaultLayersFor, isImageData, layersProblem, parseState, readAutoplay, serializeState, startsPlaying,
} from './state.js';
import { createAnnouncer } from './views/announce.js';
import { createControls } from './views/controls.js';
import { createExport } from './views/export.js';
import { createImport, takeRunParam } from './views/import.js';
import { createCurves } from './views/curves.js';
import { createDatasets } from './views/datasets.js';
import { createInstruments } from './views/instruments.js';
import { createLayersEditor, showLayersProblem } from './views/layers-editor.js';
import { createMoments } from './views/moments.js';
import { createMultiples } from './views/multiples.js';
import { createRace } from './views/race.js';
import { createRunsEditor } from './views/runs-editor.js';
import { createOverlay } from './views/overlay.js';
import { createScrubber } from './views/scrubber.js';
import { createStrips } from './views/strips.js';
import { createSingle } from './views/single.js';
import { createStart } from './views/start.js';

const $ = (id) => document.getElementById(id);
waitFor(chartsLoaded);   // the charts are built after the first frame, once their library has loaded
// The browser lays the parsed page out in the task that ran the modules (after DOMContentLoaded), and
// that layout and the modules' own evaluation were one task of about 25 ms of CPU: this module's own
// work, building the views, waits for the next task.
await nextTaskPromise();
// Training's snapshots redraw the views at most every TRAINING_REDRAW_MS (about 15 a second: a curve
// or a boundary moving at that rate reads as smooth, and each redraw costs the main thread its views'
// drawing and, where the browser composites in software, a copy of every repainted canvas); side by
// side with 40 ms, the main thread's CPU per trained second fell 15-26 % in three of bench/page.mjs's
// four settings (docs/benchmarks.md). What the reader does (scrubbing, a picked option, a resized
// window) redraws at the next frame.
const TRAINING_REDRAW_MS = 66;

const runLink = takeRunParam(location.search);   // ?run=<url>: a saved run to open (views/import.js)
// a lesson link plays as a guided demo, as the menu does, unless the address says autoplay=0
const opening = readAutoplay(runLink.search);
const parsed = parseState(opening.search);
if (opening.note) parsed.notes.push(opening.note);
/** What every view reads and writes through: the state, the run controller, a change and a redraw. */
const page = {
  state: parsed.state,
  session: new Session({ autoplayRace: opening.autoplay !== 0, raceResolution: 240, stepsTogether: true }),
  dirty: true,
  urgent: true,   // the reader asked for this redraw: it does not wait for TRAINING_REDRAW_MS
  redraw: () => { page.dirty = true; page.urgent = true; },
  trained: () => { page.dirty = true; },
  change,
  // choosing a lesson starts it: it plays at its pace up to its first moment
  startLesson: (name) => { page.session.autoplayRace = true; page.state = baseState(name); showNotes([]); restart({ play: Boolean(name) }); },
  // a race that has finished (or not begun) plays again from the start; one paused at a moment goes on
  play: () => (page.state.mode === 'race' && !racePaused() ? page.session.reset({ keepPlaying: true }) : page.session.toggle()),
  step: () => page.session.step(),
  // while a saved run is on the page, Reset opens it again (views/import.js); else step 0 of the same settings
  reset: () => page.reopenRun?.() || page.session.reset({ keepPlaying: false }),
};

function racePaused() {
  const race = page.session.race;
  return Boolean(race?.surface) && (race.running || (race.upto > 0 && race.upto < page.state.raceSteps));
}

function showNotes(notes) {
  const box = $('notes');
  box.replaceChildren(...notes.slice(0, 8).map((n) => el('p', { text: `Address: ${n}` })));
  if (notes.length > 8) box.append(el('p', { text: `…and ${notes.length - 8} more problems in the address.` }));
  box.hidden = notes.length === 0;
}

function writeUrl() {
  const search = serializeState(page.state);
  // replaceState costs a few ms (the browser process is told); at load the address is often the same
  if (search !== location.search) history.replaceState(null, '', `${location.pathname}${search}`);
}

function showBuild(simd) {
  $('build').textContent = simd ? 'Fast engine: WebAssembly with SIMD (four numbers per instruction).'
    : 'Scalar engine: this browser has no WebAssembly SIMD (or build=scalar was asked for), so training is slower.';
  $('build').classList.toggle('scalar', !simd);
  if (!simd) $('build').closest('details').open = true;   // a slower engine is worth saying without a click
}

const controls = createControls(page);
const layersEditor = createLayersEditor(page);
const runsEditor = createRunsEditor(page);
// the controls above and the views below are about 10 ms of CPU each at load: two tasks, not one
await nextTaskPromise();
const curves = createCurves(page);
const single = createSingle(page);
const multiples = createMultiples(page);
const race = createRace(page);
const moments = createMoments(page);
const datasets = createDatasets(page);
const instruments = createInstruments(page);
// time travel: the scrubber under the curves (its marker on every chart over steps), the runs overlaid, the depth x time strips
const scrubber = createScrubber(page, () => [curves.charts.loss, curves.charts.acc, curves.charts.lr, single.charts.gradNorm, single.charts.ratio]);
const overlay = createOverlay(page);
const strips = createStrips(page, scrubber.shownStep);
createStart(page, location.search === '');
createAnnouncer(page, $('announce'));

// ---------- files: downloads, saved runs and your own data (views/export.js, views/import.js) ----------

/** A message about a file on the page: what was saved or opened, or why not (bad). */
page.tell = (text, { bad = false } = {}) => {
  const box = $('file-message');
  box.textContent = text;
  box.hidden = false;
  box.classList.toggle('bad', bad);
  box.setAttribute('role', bad ? 'alert' : 'status');
};
/** A saved run the first run's worker checked (id) becomes the page's run, continuing where it was saved. */
page.restore = (state, id, notes) => {
  page.state = state;
  showNotes(notes);
  writeUrl();
  syncControls();
  page.session.start(page.state, { restore: id });
};
/** Your own rows (csv.js's dataset plus what the preview read) become the data of the runs. */
page.useOwnData = (own) => {
  page.state = { ...page.state, data: OWN_DATA, own, layers: isImageData(page.state.data) ? defaultLayersFor(OWN_DATA) : page.state.layers, lesson: '' };
  restart();
};
createExport(page);
createImport(page, runLink.url);

function syncControls() {
  controls.sync();
  datasets.sync();
  race.sync();
  layersEditor.sync();
  runsEditor.sync();
}

/** Applies a change from a control: updates the state and the URL and rebuilds what depends on it. */
function change(patch) {
  page.session.autoplayRace = true;   // autoplay=0 holds only the race the page opened on
  const state = page.state, next = { ...state, ...patch };
  if (patch.mode === 'compare' && !next.runs) next.runs = COMPARE_DEFAULT_RUNS;
  // images and points need different networks: switching between them starts from the kind's default
  if ('data' in patch && !('layers' in patch) && isImageData(patch.data) !== isImageData(state.data)) {
    next.layers = defaultLayersFor(patch.data);
    if (layersProblem(next)) next.runs = '';   // runs that change the layers no longer fit
    if (next.mode === 'compare' && !next.runs) next.runs = COMPARE_DEFAULT_RUNS;
  }
  const problem = layersProblem(next);   // e.g. a smaller image the layers do not fit: refuse, and say why
  showLayersProblem(problem);
  if (problem) { controls.refuse(Object.keys(patch)[0], problem); return; }
  page.state = next;
  writeUrl();
  if ('speed' in patch && Object.keys(patch).length === 1) { page.session.update(next); return; }
  syncControls();
  page.session.update(next, { keepPlaying: false });
}

/** Everything from the state: the URL, the controls, and the runs or the race. */
function restart({ play = false } = {}) {
  writeUrl();
  syncControls();
  page.session.start(page.state, { play });
}

page.session
  .on('started', loadCharts)   // a worker has made ICU's number data ready for the chart library (charts.js)
  .on('engine', ({ simd, kernel }) => { showBuild(simd); $('kernel').textContent = kernelLine(kernel); })
  .on('runs', () => { curves.build(); multiples.build(); page.redraw(); })
  .on('playing', () => controls.updatePlay());
for (const type of ['step', 'conv']) page.session.on(type, page.trained);
for (const type of ['built', 'error', 'ready', 'recovered', 'held']) page.session.on(type, page.redraw);

// A redraw draws the views in turn; once a frame has spent FRAME_BUDGET_MS on them, the rest wait for
// the next frame, and the compare cards likewise one by one (the first redraws after Play, when
// every view draws for the first time, would otherwise hold the thread for one long task).
// A view that repaints large canvases ends its frame's drawing as well: where the browser composites
// in software (headless Chromium, machines without a usable GPU), every repainted canvas is copied
// when the frame is committed, on this thread, after the drawing. All of the compare view's canvases
// at 1440 px cost that commit 8-9 ms of CPU, and each frame's task about 17 ms; one large view a
// frame halves that, and the three frames of a redraw still fit within TRAINING_REDRAW_MS at 60 frames a second.
const FRAME_BUDGET_MS = 8;
// While the page starts (session.js pageStarting: its first views, the workers' engines loading and
// the engine compiling their kernels on the same cores), half that: each frame's task then holds
// fewer views and fewer repainted canvases, and the first full redraw spreads over a few more frames.
const STARTING_FRAME_BUDGET_MS = 4;
const ENDS_FRAME = new Set([curves, single, multiples]);
let lastRender = 0, owed = [];
function render() {
  requestAnimationFrame(render);
  if (page.state.mode === 'race') { race.render(); return; }
  // Training redraws at most every TRAINING_REDRAW_MS: snapshots arrive from several workers at once,
  // and one redraw covers them all.
  const now = performance.now();
  if (!owed.length) {
    if (!page.dirty || (!page.urgent && now - lastRender < TRAINING_REDRAW_MS)) return;
    lastRender = now;
    page.dirty = page.urgent = false;
    // the scrubber first (text and a range, no canvas): its 'live · step' is the readout's step
    owed = page.state.mode === 'compare' ? [scrubber, curves, multiples, overlay, instruments] : [scrubber, curves, single, strips, instruments];
    // the numbers a reader compares (the big step readout, the status line) from the same snapshots
    curves.readout();
    if (page.state.mode !== 'compare') single.status();
  }
  // a view may draw part of itself by the deadline and return false: it keeps its turn
  const budget = pageStarting(now) ? STARTING_FRAME_BUDGET_MS : FRAME_BUDGET_MS;
  while (owed.length && performance.now() - now < budget) {
    const view = owed[0];
    if (view.render(now + budget) !== false) owed.shift();
    if (ENDS_FRAME.has(view)) break;
  }
}

// ---------- start ----------

// The views above are built in two tasks (the controls, then the views), the controls take the
// state's values in the next, and the runs start in the one after (workers, the first snapshots):
// 10-15 ms of CPU each, at a time when the workers' engines load on the other core, so that none
// adds to one long task before the first frame.
await nextTaskPromise();
showNotes(parsed.notes);
new PlayGate().attach(page.session);   // no training in a hidden tab
writeUrl();
syncControls();
document.body.classList.remove('starting');   // the views and controls show the state from the next frame on (style.css)
await nextTaskPromise();
page.session.start(page.state, { play: startsPlaying(parsed.state, opening.autoplay) });
requestAnimationFrame(render);

// ---------- test and benchmark hook: plain numbers only ----------

function predictedClasses(outputs, K) {
  return Array.from({ length: outputs.length / K }, (_, k) => {
    let best = 0;
    for (let c = 1; c < K; ++c) if (outputs[k * K + c] > outputs[k * K + best]) best = c;
    return best;
  });
}

window.gradlabPage = {
  /** Each run's latest step: what a test polls while it waits (summary() copies every curve). */
  steps: () => page.session.runs.map((r) => r.last?.step ?? 0),
  summary: () => {
    const { session, state } = page, r0 = session.race;
    const charts = [curves.charts, single.charts, race.charts, instruments.charts].flatMap((c) => Object.values(c));
    return {
      mode: state.mode, playing: session.playing, running: session.running, workers: session.runs.length, url: location.search,
      speed: state.speed, moment: moments.box.hidden ? null : { step: Number(moments.box.dataset.step), panel: moments.box.dataset.panel },
      runs: session.runs.map((r) => ({
        label: r.label, status: r.status, error: r.error, step: r.last?.step ?? 0, firstLoss: r.firstLoss, minTestLoss: r.minTest, duty: r.duty,
        trainLoss: r.last?.train.loss ?? null, testLoss: r.last?.test.loss ?? null, trainAccuracy: r.last?.train.accuracy ?? null,
        testAccuracy: r.last?.test.accuracy ?? null, image: r.built?.image ?? null, example: r.last?.conv?.example ?? null,
        layerTypes: r.built?.layers.map((l) => l.type ?? 'dense') ?? [], layers: r.last?.layers.map(lessonLayer) ?? [],
        predictions: r.built?.image && r.last ? predictedClasses(r.last.outputs, r.built.classes) : null,
        learningRates: r.curves.lr.slice(), curve: { x: r.curves.x.slice(), trainLoss: r.curves.trainLoss.slice() },
        instruments: instruments.summary(r),
        markers: r.markers.map((m) => ({ ...m })),
      })),
      scrub: scrubber.summary(), overlay: state.mode === 'compare' ? overlay.summary() : null, strips: state.mode === 'train' ? strips.summary() : null,
      nanInCharts: charts.some((c) => c.data.some((col) => col.some((v) => Number.isNaN(v)))),
      race: r0?.paths ? {
        upto: r0.upto, paths: r0.paths.map((p) => ({ name: p.name, learningRate: p.learningRate, first: p.loss[0], last: p.loss[p.loss.length - 1], loss: Array.from(p.loss),
          x: Array.from(p.path.filter((_, i) => i % 2 === 0)), y: Array.from(p.path.filter((_, i) => i % 2 === 1)), fate: p.fate })),
        legend: race.charts.race ? race.charts.race.series.slice(1).map((s) => s.label) : [],
      } : null,
    };
  },
};

// Test hook (tests/browser/faults.test.mjs): ends run i's worker (or the race's) the way a crash would,
// with nothing but terminate(); the session must notice by itself (its watchdog) and say so on the
// run's card (the race's status).
window.gradlabPage.test = { killWorker: (i) => page.session.runs[i].worker.terminate(), killRaceWorker: () => page.session.raceWorker?.terminate() };
