// scrubber.js: time travel under the curves. A range over the steps trained so far: moving it asks
// every run's worker (through the session) for its recorded snapshot nearest to that step, and every
// view then draws that snapshot (session.js shownSnapshot); "Live" returns to the present, and so do
// Play and Step. A marker on the step charts shows the step in view. Keyboard: the arrows move one
// recorded step, Home and End go to the ends, Space plays as everywhere else.
import { shownSnapshot } from '../session.js';

const $ = (id) => document.getElementById(id);

/** Every snapshot field the summary gives for a layer, with typed arrays as plain arrays. */
const plain = (v) => JSON.parse(JSON.stringify(v, (_, x) => (ArrayBuffer.isView(x) ? Array.from(x) : x)));

/**
 * The scrubber over `page` ({ state, session, redraw(), play() }); charts() lists the uPlot charts
 * whose x axis is the step (they get the marker). Returns { render(), summary(), shownStep() }.
 */
export function createScrubber(page, charts) {
  const { session } = page;
  const input = $('scrub'), live = $('scrub-live'), readout = $('scrub-readout');
  const box = input.closest('.scrubber');

  /** The step the views show: the first run's scrubbed snapshot, or null when live or not answered yet. */
  const shownStep = () => {
    const run = session.runs[0];
    return session.scrubStep === null || !run?.scrubbed?.snapshot ? null : run.scrubbed.snapshot.step;
  };
  const present = () => Math.max(0, ...session.runs.map((r) => r.last?.step ?? 0));
  /** Recorded steps of the first run (from its last answer; none before the first scrub). */
  const recorded = () => session.runs[0]?.scrubbed?.steps ?? [];

  input.addEventListener('input', () => session.scrub(Number(input.value)));
  input.addEventListener('keydown', (e) => {
    if (e.key === ' ') { e.preventDefault(); page.play(); return; }
    const dir = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 }[e.key];
    const steps = recorded();
    if (!dir || !steps.length || session.scrubStep === null) return;   // the first arrow press moves one step and asks
    e.preventDefault();
    const from = shownStep() ?? session.scrubStep;
    const next = dir < 0 ? steps.findLast((s) => s < from) : steps.find((s) => s > from);
    if (next === undefined) { if (dir > 0) session.live(); return; }   // past the latest recorded step: the present
    input.value = String(next);
    session.scrub(next);
  });
  live.addEventListener('click', () => session.live());
  session.on('scrub', page.redraw).on('recorded', page.redraw);

  /** A marker line at `step` over each chart's plot (hidden when null). */
  const mark = (step) => {
    for (const chart of charts()) {
      if (!chart?.over) continue;
      let marker = chart.over.querySelector('.scrub-marker');
      if (!marker) { marker = document.createElement('div'); marker.className = 'scrub-marker'; chart.over.append(marker); }
      const x = step === null ? NaN : chart.valToPos(step, 'x');
      marker.hidden = !Number.isFinite(x);
      if (Number.isFinite(x)) marker.style.left = `${x - 1}px`;
    }
  };

  return {
    shownStep,
    render() {
      const now = present(), scrubbing = session.scrubStep !== null, shown = shownStep();
      input.max = String(now);
      if (!scrubbing) input.value = String(now);
      box.classList.toggle('scrubbing', scrubbing);
      live.setAttribute('aria-pressed', String(!scrubbing));
      live.disabled = !scrubbing;
      if (!scrubbing) readout.textContent = `live · step ${now}`;
      else if (shown === null) readout.textContent = `finding step ${session.scrubStep}…`;
      else {
        // in compare mode each run shows its own nearest recorded step; say so when they differ
        const steps = session.runs.map((r) => r.scrubbed?.snapshot?.step).filter((s) => s != null);
        const same = steps.every((s) => s === shown);
        readout.textContent = `step ${same ? shown : steps.join(' / ')} of ${now} · ${recorded().length} recorded`;
      }
      input.setAttribute('aria-valuetext', scrubbing && shown !== null ? `step ${shown}` : `live, step ${now}`);
      mark(shown);
    },
    /** The scrub state and, per run, the step and layer statistics its views draw (plain numbers). */
    summary() {
      return {
        live: session.scrubStep === null, step: session.scrubStep, shownStep: shownStep(), max: Number(input.max), value: Number(input.value),
        runs: session.runs.map((r) => {
          const s = shownSnapshot(r);
          return {
            step: s?.step ?? null, recorded: r.scrubbed ? Array.from(r.scrubbed.steps) : null, usage: r.scrubbed ? plain(r.scrubbed.usage) : null,
            layers: s ? plain(s.layers) : [], train: s ? plain(s.train) : null, test: s ? plain(s.test) : null,
          };
        }),
      };
    },
  };
}
