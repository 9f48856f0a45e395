// announce.js: what a screen reader hears. The status line and the step and loss readout change
// many times a second while training, so they are not live regions; this one visually hidden polite
// region says only when the state changes: training started or paused, a lesson's moment reached
// or its end, a run diverged, a live change held on a diverged run, a race finished, a worker that
// failed (faults.js) or that answers again after it had stopped answering. Listens to the run
// controller; draws nothing. The page and the embed both speak through it, in the words their
// views show (labels.js runStatus, faults.js).
import { lessonNamed } from '../lessons.js';
import { runStatus } from '../labels.js';

const PAUSE_SETTLE_MS = 250;
/** Live changes held on a diverged run within this long of each other are said once, after the last. */
const HELD_SETTLE_MS = 500;

/** The words for a change of state: pure, so the page and its test read the same sentences. */
export const ANNOUNCE = {
  started: (state) => (state.mode === 'race' ? 'Race started.' : state.lesson ? `Lesson playing: ${lessonNamed(state.lesson)?.title}.` : 'Training started.'),
  paused: (step) => `Paused at step ${step}.`,
  moment: (step, text) => `Lesson paused at step ${step}: ${text} Press Play to go on.`,
  end: (step) => `The lesson's run ends here, at step ${step}. Play trains on past it.`,
  raceFinished: (steps) => `Race finished after ${steps} steps.`,
  diverged: (label, text) => `${label === 'train' ? 'The run' : `Run ${label}`}: ${text}`,
  // a failed worker's sentence already says "This run's worker": only a compare run is named
  failed: (label, text) => (label === 'train' ? text : `Run ${label}: ${text}`),
  // a worker that had stopped answering answers again (faults.js 'silent'); its fault is cleared
  recovered: (label) => (label === 'train' ? 'This run\'s worker answers again; the run goes on.' : `Run ${label}: its worker answers again; the run goes on.`),
  raceRecovered: 'The race\'s worker answers again.',
};

/** The region `box` over `page` ({ state, session }); returns { say(text) }. */
export function createAnnouncer(page, box) {
  let playing = false, pending = null, saidAt = -Infinity;
  let heldTimer = null, heldSaid = '';   // a held live change waiting to be said, and the last one said
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
  session.on('diverged', ({ run }) => { heldSaid = ''; sayWhy(ANNOUNCE.diverged(run.label, runStatus(run, page.state).text)); });
  // a worker that failed (a run's, or the race's) and any other error: its status's words, said once
  session.on('error', ({ run, race, message }) => {
    if (race?.fault) sayWhy(race.fault.text);   // as the race's status shows it (race-fate.js raceStatus)
    else if (run) sayWhy(ANNOUNCE.failed(run.label, runStatus(run, page.state).text));
    else sayWhy(runStatus({ error: message }, page.state).text);   // the race's worker's own error, in a run's error's words
  });
  session.on('recovered', ({ run }) => sayWhy(run ? ANNOUNCE.recovered(run.label) : ANNOUNCE.raceRecovered));
  // a live change that reached diverged runs: they stay diverged and their status names what waits
  // for Reset. A field left, or set() called several times, within HELD_SETTLE_MS is said once, and
  // only when the words differ from the last such announcement.
  session.on('held', ({ runs }) => {
    clearTimeout(heldTimer);
    heldTimer = setTimeout(() => {
      const text = runs.filter((r) => session.runs.includes(r)).map((r) => ANNOUNCE.diverged(r.label, runStatus(r, page.state).text)).join(' ');
      if (!text || text === heldSaid) return;
      heldSaid = text;
      sayWhy(text);
    }, HELD_SETTLE_MS);
  });
  session.on('runs', () => { clearTimeout(pending); clearTimeout(heldTimer); heldSaid = ''; playing = session.running; });
  return { say };
}
