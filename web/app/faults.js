// faults.js: a run whose worker failed, written once. What counts as a fault, the sentence the
// run's card or panel shows (what happened, and what to do), and the watchdog's timing. Pure: the
// session (session.js) detects faults and keeps them on its runs; the views show `run.error`. The
// race's worker (the optimiser race) is watched the same way: its fault is `session.race.fault`,
// with sentences of its own (`fault(kind, detail, { race: true })`), which the race's status shows.
//
// Three faults:
//   crashed  the worker raised an error it did not catch (a trap in the engine, a script that failed
//            to load) or sent a message that could not be read;
//   silent   the worker has not answered a ping for SILENT_MS (terminated, or stuck); if it answers
//            again later the fault is cleared;
//   memory   the engine refused an allocation: the network and batch need more memory than
//            WebAssembly may grow to (the engine's own "not enough memory" errors).

/** How often the session pings each run's worker, and how long an unanswered ping may wait. */
export const PING_MS = 1000;
export const SILENT_MS = 10000;

/** Whether an error message from the worker is the engine running out of memory. */
export const isMemoryError = (message) => /not enough (wasm )?memory|out of memory|could not allocate/i.test(String(message));

/**
 * The fault a run has, as the session stores it on `run.fault`: { kind, what, todo, text }; `text`
 * (what and todo together) is what the card or panel shows. `detail` is the worker's own message.
 * race: the fault of the race's worker instead (session.race.fault), whose way back is always Reset.
 */
export function fault(kind, detail = '', { race = false } = {}) {
  const said = String(detail ?? '').trim().replace(/\.$/, '');
  const whose = race ? 'The race\'s worker' : 'This run\'s worker';
  const what = {
    crashed: `${whose} crashed${said ? ` (${said})` : ''}.`,
    silent: `${whose} stopped answering (nothing for ${SILENT_MS / 1000} s): it was stopped, or it is stuck.`,
    memory: `Out of memory: ${said || `the engine could not allocate what this ${race ? 'race' : 'run'} needs`}.`,
  }[kind];
  if (!what) throw new Error(`unknown fault '${kind}'; allowed: crashed, silent, memory`);
  const todo = race ? 'Press Reset to compute the race again.'
    : kind === 'memory'
      ? 'This network and batch need more than the 1 GiB WebAssembly can use. The other runs go on; use a smaller batch, fewer or narrower layers, or a smaller image size.'
      : 'The other runs go on. Press Reset to start this run again.';
  return { kind, what, todo, text: `${what} ${todo}` };
}
