// announce.js: what a screen reader hears. The status line and the step and loss readout change
// many times a second while training, so they are not live regions; this one visually hidden polite
// region says only when the state changes: training started or paused, a lesson's moment reached
// or its end, a run diverged, a race finished. Listens to the run controller; draws nothing.
import { lessonNamed } from '../lessons.js';
import { runStatus } from '../labels.js';

const PAUSE_SETTLE_MS = 250;

/** The words for a change of state: pure, so the page and its test read the same sentences. */
export const ANNOUNCE = {
  started: (state) => (state.mode === 'race' ? 'Race started.' : state.lesson ? `Lesson playing: ${lessonNamed(state.lesson)?.title}.` : 'Training started.'),
  paused: (step) => `Paused at step ${step}.`,
  moment: (step, text) => `Lesson paused at step ${step}: ${text} Press Play to go on.`,
  end: (step) => `The lesson's run ends here, at step ${step}. Play trains on past it.`,
  raceFinished: (steps) => `Race finished after ${steps} steps.`,
  diverged: (label, text) => `${label === 'train' ? 'The run' : `Run ${label}`}: ${text}`,
};

/** The region `box` over `page` ({ state, session }); returns { say(text) }. */
export function createAnnouncer(page, box) {
  let playing = false, pending = null, saidAt = -Infinity;
  const say = (text) => {
    // the same sentence twice in a row is still announced: clear first, then write
    box.textContent = '';
    setTimeout(() => { box.textContent = text; }, 30);
  };
  /** A moment, an end or a divergence: said instead of the pause that comes with it (before or after). */
  const sayWhy = (text) => { clearTimeout(pending); saidAt = performance.now(); say(text); };
  const step = () => {
    const { session } = page;
    if (page.state.mode === 'race') return Math.max(0, session.race?.upto ?? 0);
    return Math.max(0, ...session.runs.map((r) => r.last?.step ?? 0));
  };
  const session = page.session;
  session.on('playing', ({ playing: now }) => {
    const running = session.running;
    if (running === playing || now !== running) return;
    playing = running;
    if (running) { clearTimeout(pending); say(ANNOUNCE.started(page.state)); return; }
    // a moment or a divergence comes with the pause: say that instead; else wait for the snapshots
    // still on their way, so that the step said is the one the page shows
    // (whether a reason was said just before is decided now: a timer that fires late on a busy machine must not count its own delay)
    const saidJustBefore = performance.now() - saidAt < PAUSE_SETTLE_MS + 100;
    pending = setTimeout(() => {
      if (saidJustBefore) return;
      const race = session.race;
      if (page.state.mode === 'race' && race?.upto >= page.state.raceSteps) say(ANNOUNCE.raceFinished(page.state.raceSteps));
      else say(ANNOUNCE.paused(step()));
    }, PAUSE_SETTLE_MS);
  });
  session.on('moment', ({ step: at, moment }) => {
    if (lessonNamed(page.state.lesson)) sayWhy(moment ? ANNOUNCE.moment(at, moment.text) : ANNOUNCE.end(at));
  });
  session.on('diverged', ({ run }) => sayWhy(ANNOUNCE.diverged(run.label, runStatus(run, page.state).text)));
  session.on('runs', () => { clearTimeout(pending); playing = session.running; });
  return { say };
}
