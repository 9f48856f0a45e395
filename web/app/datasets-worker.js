// datasets-worker.js: draws nothing and trains nothing: it makes a small sample of every data set
// with the engine's own generator, posts their points (or one image) for the data-set pictures,
// and ends. Off the page's thread, so the first screen never waits for it.
import { loadGradlab } from '../lib/gradlab.js';
import { DATASETS } from '../lib/names.js';

const POINTS = 160;   // points per picture
const IMAGE_SETS = ['digits', 'shapes'];

const lab = await loadGradlab({ kernel: 'default' });   // no matrix product here: no kernel to time
for (const name of DATASETS) {
  const image = IMAGE_SETS.includes(name);
  const data = lab.dataset(name, image ? { samples: 8, testFraction: 0, seed: 3 } : { samples: POINTS, testFraction: 0, seed: 1 });
  const { x, y } = data.rows('train');
  postMessage({
    name, inputs: data.inputs, classes: data.classes, shape: data.shape, x: x.slice(), y: y.slice(),
  });
  data.dispose();
}
postMessage({ done: true });
