// Hostile saved runs and CSV files in Node (seeded, tests/js/hostile-files.mjs): unzipRun + loadRun
// and parseDataCsv either accept a file or refuse it with a GradlabError, never another exception or
// a trap; the engine stays usable after every case and Object.prototype is untouched.
// GRADLAB_FUZZ_SEED replays a run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GradlabError, loadGradlab } from '../../web/lib/gradlab.js';
import { parseDataCsv } from '../../web/lib/csv.js';
import { loadRun, runFiles } from '../../web/lib/runfile.js';
import { unzipRun } from '../../web/lib/runzip.js';
import { hostileCsv, hostileRun } from './hostile-files.mjs';
import { fuzzSeed, rng } from './hostile-inputs.mjs';

const SEED = fuzzSeed();
const RUN_CASES = 200, CSV_CASES = 300;
const proto = () => Object.getOwnPropertyNames(Object.prototype).sort().join();

describe(`hostile files in Node (seed ${SEED})`, () => {
  it(`${RUN_CASES} mutated saved runs are loaded or refused with a GradlabError`, async () => {
    const lab = await loadGradlab();
    const data = lab.dataset('spiral', { samples: 90, seed: 3 });
    const net = lab.network({ inputs: 2, layers: [{ units: 6, batchNorm: true, dropout: 0.2 }, { units: 3 }], seed: 2 }).setOptimizer({ name: 'adam', learningRate: 0.01 });
    net.train(data, { steps: 3, batchSize: 16 });
    const good = runFiles(net, data, { batchSize: 16, settings: { kind: 'gradlab-page', query: '?seed=2' } });
    const before = proto(), r = rng(SEED + 11);
    let refused = 0;
    for (let i = 0; i < RUN_CASES; ++i) {
      const zip = await hostileRun(r, good);
      try {
        const loaded = loadRun(lab, await unzipRun(zip));
        loaded.net.train(loaded.data, { steps: 1, batchSize: 16 });
        loaded.net.dispose(); loaded.data.dispose();
      } catch (error) {
        assert.ok(error instanceof GradlabError, `case ${i}: ${error?.constructor?.name}: ${error?.message} (GRADLAB_FUZZ_SEED=${SEED})`);
        assert.match(error.message, /^this saved run cannot be loaded: /, `case ${i}`);
        refused++;
      }
      assert.equal(proto(), before, `case ${i}: Object.prototype changed`);
      assert.equal({}.polluted, undefined);
    }
    assert.ok(refused > RUN_CASES / 2, `most mutations are refused (${refused} of ${RUN_CASES})`);
    assert.ok(Number.isFinite(net.train(data, { steps: 1, batchSize: 16 }).loss), 'the engine still trains');
  });

  it(`${CSV_CASES} mutated CSV files are read or refused with a GradlabError naming where`, async () => {
    const lab = await loadGradlab();
    const r = rng(SEED + 12), before = proto();
    for (let i = 0; i < CSV_CASES; ++i) {
      const text = hostileCsv(r);
      let parsed;
      try {
        parsed = parseDataCsv(text);
      } catch (error) {
        assert.ok(error instanceof GradlabError, `case ${i}: ${error?.constructor?.name}: ${error?.message} (GRADLAB_FUZZ_SEED=${SEED})`);
        assert.match(error.message, /^CSV: (row \d+|column \d+|there are no)/, `case ${i}: ${error.message}`);
        continue;
      }
      const data = lab.dataset({ ...parsed.dataset, testFraction: 0.2 });
      assert.equal(data.trainSize + data.testSize, parsed.rows);
      data.dispose();
      assert.equal(proto(), before, `case ${i}`);
    }
  });
});
