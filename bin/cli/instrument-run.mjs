// instrument-run.mjs: what `gradlab landscape`, `gradlab sharpness` and `gradlab lr-find` share: the
// network and data flags of `gradlab train`, and training before the instrument looks.
import { flags as trainFlags, describeRun, makeRun, plan } from './train.mjs';

const NETWORK_FLAG_NAMES = ['dataset', 'samples', 'classes', 'noise', 'test-fraction', 'layers', 'init', 'std', 'optimizer', 'lr',
  'momentum', 'l2', 'weight-decay', 'batch', 'seed'];

/** The flags of gradlab train that describe the data, the network and its optimiser. */
export const NETWORK_FLAGS = Object.fromEntries(NETWORK_FLAG_NAMES.map((name) => [name, trainFlags[name]]));

/**
 * Makes the run the flags describe, calls before(net) (to start a record, for example), trains
 * v.steps steps (or v['train-steps']) and returns { p, made, status } with p.describe the run's summary.
 */
export function trainQuietly(lab, v, before = () => {}, steps = v.steps) {
  const p = plan({ ...v, steps: Math.max(1, steps), json: false, csv: false });
  const made = makeRun(lab, p);
  p.describe = describeRun(p, made);
  before(made.net);
  const r = steps > 0 ? made.net.train(made.data, { steps, batchSize: v.batch }) : { status: 'ok' };
  return { p, made, status: r.status };
}
