// runzip.js: a saved run's files (web/lib/runfile.js) as one zip download, and back. The zip is
// written by fflate (pinned in package.json): in Node it is imported from node_modules, in a browser
// from vendor/fflate/browser.js beside this library (scripts/serve.mjs serves it, build-dist copies
// it), so no bundler or import map is needed. NumPy reads the download directly: np.load('run.zip')
// opens it like an .npz, e.g. np.load('run.zip')['weights/layer0.weights'].
import { GradlabError } from './names.js';

/** The most bytes the files of one zip may unpack to (a guard against a zip bomb). */
export const UNZIP_LIMIT = 1024 * 1024 * 1024;

let fflate = null;
async function library() {
  const inNode = typeof process !== 'undefined' && !!process.versions?.node;
  fflate ??= await import(inNode ? 'fflate' : new URL('../vendor/fflate/browser.js', import.meta.url).href);
  return fflate;
}

/** The files { path: Uint8Array } as the bytes of one zip. */
export async function zipRun(files) {
  const { zipSync } = await library();
  // .npy and state bytes gain little from deflate; level 6 still halves the JSON and CSV
  return zipSync(files, { level: 6, mtime: new Date('2026-01-01T00:00:00Z') });
}

/** The files of a zip made by zipRun (or any zip of a saved run's files). */
export async function unzipRun(bytes) {
  if (!(bytes instanceof Uint8Array)) throw new GradlabError('this saved run cannot be loaded: it must be given as the bytes of a .zip (a Uint8Array)');
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new GradlabError('this saved run cannot be loaded: it is not a zip file (its first bytes are not PK)');
  }
  const { unzipSync } = await library();
  let total = 0;
  try {
    return unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        if (total > UNZIP_LIMIT) throw new GradlabError(`this saved run cannot be loaded: its files unpack to more than ${UNZIP_LIMIT} bytes`);
        return !file.name.endsWith('/');
      },
    });
  } catch (error) {
    if (error instanceof GradlabError) throw error;
    throw new GradlabError(`this saved run cannot be loaded: the zip is damaged (${error.message})`);
  }
}
