// datasets.js: the data sets as small pictures of their points (or of one image), clicked to
// choose one, beside the data-set menu. The points come from the engine's own generator in a
// short-lived worker (datasets-worker.js), so the page's thread only draws.
import { DATASETS } from '../../lib/names.js';
import { el } from '../dom.js';
import { drawDataPicture } from '../draw.js';
import { moduleWorker } from '../spawn.js';

const $ = (id) => document.getElementById(id);
const SIDE = 48;
const AFTER_READY_MS = 1000, START_LATEST_MS = 4000;

/** The pictures over `page` ({ state, change(patch) }); returns { sync() }. */
export function createDatasets(page) {
  const buttons = new Map();
  for (const name of DATASETS) {
    const canvas = el('canvas', { width: String(SIDE), height: String(SIDE), 'aria-hidden': 'true' });
    const button = el('button', { type: 'button', class: 'dataset', 'aria-pressed': 'false', title: name, 'aria-label': `Data set: ${name}` },
      [canvas, el('span', { text: name })]);
    button.addEventListener('click', () => { if (page.state.data !== name) page.change({ data: name }); });
    buttons.set(name, { button, canvas });
  }
  $('datasets').replaceChildren(...[...buttons.values()].map((b) => b.button));

  // a one-off helper of the page's (not a run): spawn.js starts it, from another origin too. It
  // starts AFTER_READY_MS after the runs have their first snapshots (START_LATEST_MS at the latest):
  // on two cores, one more thread loading an engine beside the runs' took the core from the page's
  // own thread while it loaded and drew its first frames.
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    const worker = moduleWorker(new URL('../datasets-worker.js', import.meta.url).href);
    // #datasets says when the helper has ended (data-pictures: done, or failed), for tests that count workers
    const end = (how) => { worker.terminate(); $('datasets').dataset.pictures = how; };
    worker.onmessage = ({ data }) => {
      if (data.done) { end('done'); return; }
      const entry = buttons.get(data.name);
      if (entry) drawDataPicture(entry.canvas, data);
    };
    worker.onerror = () => end('failed');   // the pictures stay blank; the menu still works
  };
  page.session.on('ready', () => setTimeout(start, AFTER_READY_MS));
  setTimeout(start, START_LATEST_MS);

  return {
    sync() {
      for (const [name, { button }] of buttons) button.setAttribute('aria-pressed', String(page.state.data === name));
    },
  };
}
