// worker-files.js: the worker's side of downloads and saved runs. Everything here runs next to the
// engine (in worker.js): the page asks for a file and gets bytes back, it never reads the engine.
//
//   makeFile(run, msg)        the bytes of a download (protocol FILE_KINDS): the saved run as a zip,
//                             the layer statistics as CSV or JSON, the run as a PyTorch script
//   openRun(lab, id, bytes)   checks a saved run's zip by loading it in full; holds it until a build
//                             asks for it (takeOpened), so a refused file leaves the current run alone
// run: { net, data, config, probe() } where probe() runs the inference pass the page's statistics
// are taken after (probeForward of web/lib/snapshot.js), so a table says what the panels show.
import { REPLAY_LIMITS } from '../lib/replay.js';
import { loadRun, runFiles } from '../lib/runfile.js';
import { unzipRun, zipRun } from '../lib/runzip.js';
import { statsCsv, toJson } from '../lib/tables.js';
import * as protocol from './protocol.js';

/** The settings a page saves in run.json: the address query that rebuilds the run's state. */
export const PAGE_SETTINGS = 'gradlab-page';
/** Steps a PyTorch script replays when the run has not trained yet. */
const PYTORCH_STEPS = 100;

const text = (s) => new TextEncoder().encode(s);
const stamp = (step) => `step${step}`;

/** The download `msg.what` of run as a protocol file event. */
export async function makeFile(lab, run, msg) {
  const { net, data, config } = run;
  const base = `gradlab-${config.dataset.name}-${stamp(net.step)}`;
  switch (msg.what) {
    case 'run': {
      run.probe();
      const files = runFiles(net, data, {
        batchSize: config.batchSize, curves: msg.curves, settings: { kind: PAGE_SETTINGS, query: msg.settings },
      });
      return protocol.fileMade('run', `${base}.zip`, 'application/zip', await zipRun(files));
    }
    case 'stats-csv':
      run.probe();
      return protocol.fileMade('stats-csv', `${base}-layers.csv`, 'text/csv', text(statsCsv(net.layerStats(), net.step, net.layers)));
    case 'stats-json':
      run.probe();
      return protocol.fileMade('stats-json', `${base}-layers.json`, 'application/json', text(toJson({ step: net.step, layers: net.layerStats() })));
    case 'pytorch': {
      // the run from its first step: a fresh twin of the same spec and seed starts from the same weights
      const twin = lab.network(net.spec).setOptimizer(net.optimizerSpec);
      try {
        const steps = Math.min(REPLAY_LIMITS.steps, net.step || PYTORCH_STEPS);
        const script = twin.toPyTorch(data, { steps, batchSize: config.batchSize });
        return protocol.fileMade('pytorch', `${base.replace(stamp(net.step), `${steps}steps`)}.py`, 'text/x-python', text(script));
      } finally {
        twin.dispose();
      }
    }
    default:
      throw new Error(`file '${msg.what}' is not known`);
  }
}

const opened = new Map();   // id -> { net, data, manifest }: checked runs waiting for their build

/** Checks a saved run's zip by loading it; the protocol event that says how it went. */
export async function openRun(lab, id, bytes) {
  let loaded;
  try {
    loaded = loadRun(lab, await unzipRun(bytes));
  } catch (error) {
    return protocol.refused('open', String(error?.message ?? error));
  }
  const { manifest, data, net } = loaded;
  const settings = manifest.settings;
  if (settings?.kind !== PAGE_SETTINGS || typeof settings.query !== 'string') {
    net.dispose(); data.dispose();
    const by = typeof settings?.command === 'string' ? ` by ${settings.command.slice(0, 40)}` : '';
    return protocol.refused('open', `this saved run was made${by}, not by the page, so it has no page settings; continue it with gradlab train --load`);
  }
  for (const old of opened.values()) { old.net.dispose(); old.data.dispose(); }   // only the newest waits
  opened.clear();
  opened.set(id, loaded);
  const own = data.spec.name === 'custom' ? data.spec.options : null;
  const rows = own && { x: own.x.slice(), y: own.y.slice(), inputs: own.inputs, classes: own.classes, outputs: own.outputs };
  // the specs beside the query, so the page can check that its settings rebuild this very run
  const described = { query: settings.query, batchSize: manifest.batchSize, network: manifest.network, optimizer: manifest.optimizer, data: manifest.data };
  return protocol.opened(id, described, net.step, rows);
}

/** The network and data set of opened run id (the caller owns them now), or an error saying it is gone. */
export function takeOpened(id) {
  const run = opened.get(id);
  if (!run) throw new Error(`the saved run opened as ${id} is no longer held (a newer one was opened)`);
  opened.delete(id);
  return run;
}
