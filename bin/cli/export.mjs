// export.mjs: `gradlab export DIR`: a saved run's curves, layer statistics or weights as CSV or JSON
// on stdout, or the whole run as one zip (the page's download).
import { writeFileSync } from 'node:fs';
import { readRun } from '../../web/lib/runfile.js';
import { zipRun } from '../../web/lib/runzip.js';
import { curvesFromCsv, fromCsv, toJson } from '../../web/lib/tables.js';
import { UsageError, exclusive } from './flags.mjs';
import { readRunDir } from './rundir.mjs';

export const usage = 'gradlab export DIR [--what curves|stats|weights|settings] [--json] [--zip FILE]';
export const positional = { name: 'DIR' };
export const summary = `Prints part of a run saved by gradlab train --save DIR: its curves or its layer statistics as CSV
(default) or JSON (--json), its weights as JSON, or its settings (run.json). --zip FILE writes the
whole run as one zip instead, the same download the page makes (NumPy opens it like an .npz).`;

export const flags = {
  what: { type: 'choice', choices: ['curves', 'stats', 'weights', 'settings'], default: 'curves', value: 'PART', help: 'what to print' },
  json: { type: 'bool', help: 'print JSON instead of CSV' },
  zip: { type: 'string', value: 'FILE', help: 'write the whole run as one .zip to FILE and print nothing' },
};

const text = (bytes) => new TextDecoder().decode(bytes);

export async function run(v, io) {
  const [dir] = v._;
  if (dir === undefined) throw new UsageError('give the folder of a saved run: gradlab export DIR');
  const files = readRunDir(dir);
  const manifest = readRun(files);   // refuses what is not a saved run of this version
  if (v.zip !== undefined) {
    exclusive({ zip: true, json: v.json }, ['zip', 'json']);
    writeFileSync(v.zip, await zipRun(files));
    io.stderr.write(`gradlab export: wrote ${v.zip} (${Object.keys(files).length} files, step ${manifest.step})\n`);
    return 0;
  }
  const need = (name) => files[name] ?? (() => { throw new UsageError(`'${dir}' has no ${name}${name.startsWith('curves') ? ' (the run was saved without curves)' : ''}`); })();
  switch (v.what) {
    case 'curves':
      io.stdout.write(v.json ? toJson(curvesFromCsv(text(need('curves.csv')))) : text(need('curves.csv')));
      break;
    case 'stats':
      io.stdout.write(v.json ? toJson(fromCsv(text(need('stats.csv')))) : text(need('stats.csv')));
      break;
    case 'weights':
      if (!v.json) throw new UsageError('--what weights is printed as JSON (--json); the .npy files in the folder hold them for NumPy');
      io.stdout.write(text(need('weights.json')));
      break;
    default:
      io.stdout.write(toJson(manifest));
  }
  return 0;
}
