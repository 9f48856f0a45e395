// `gradlab lesson NAME` for every lesson of the page: run as a child process with --json for five
// seeds over the lesson's whole run, every claim and moment the lesson writes beside its text
// (web/app/lessons.js, the same ones tests/browser/lessons.test.mjs checks on the page) must hold at
// every recorded step; the text and CSV forms must hold the same runs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { LESSONS, checkLesson } from '../../web/app/lessons.js';
import { baseState } from '../../web/app/state.js';
import { lessonViews } from '../../bin/cli/lesson.mjs';
import { loadGradlab } from '../../web/lib/gradlab.js';

const BIN = fileURLToPath(new URL('../../bin/gradlab.mjs', import.meta.url));

function gradlab(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

const SEEDS = [1, 2, 3, 4, 5];
const EVERY = 10;   // record every 10 steps (and at each moment), so claims meet the whole run
const INDEX = readFileSync(fileURLToPath(new URL('../../web/index.html', import.meta.url)), 'utf8');

/** Runs of `gradlab lesson` two at a time (the machine has two cores). */
function limited(n) {
  let active = 0;
  const queue = [];
  const next = () => { if (active < n && queue.length) { active++; queue.shift()(); } };
  return (fn) => new Promise((resolve, reject) => {
    queue.push(() => fn().then(resolve, reject).finally(() => { active--; next(); }));
    next();
  });
}
const slot = limited(2);

describe('gradlab lesson', { concurrency: 2 }, () => {
  it('every lesson has an end step, a pace, claims quoting its text and one to three moments at panels of the page', () => {
    for (const l of LESSONS) {
      assert.ok(Number.isInteger(l.steps) && l.steps > 0, `${l.name}: steps`);
      assert.ok(l.stepsPerSecond >= 1 && l.stepsPerSecond <= 500, `${l.name}: stepsPerSecond`);
      assert.ok(l.claims.length > 0, `${l.name}: claims`);
      for (const c of l.claims) assert.ok(l.text.includes(c.says), `${l.name}: '${c.says}' is not in its text`);
      assert.ok(l.moments.length >= 1 && l.moments.length <= 3, `${l.name}: one to three moments`);
      for (const m of l.moments) {
        assert.ok(Number.isInteger(m.step) && m.step >= 0 && m.step <= l.steps, `${l.name}: moment step ${m.step}`);
        assert.ok(INDEX.includes(`id="${m.panel}"`), `${l.name}: panel '${m.panel}' is not in web/index.html`);
        assert.equal(typeof m.text, 'string');
      }
      const state = baseState(l.name);
      if (state.mode === 'race') assert.equal(state.raceSteps, l.steps, `${l.name}: the race runs the lesson's steps`);
      // the embed shows the loss and the boundary (or the race) only: the text names no other chart
      assert.doesNotMatch(l.text, /histogram|saturation bar|activation std|gradient norm|learning-rate strip|card/i, `${l.name}: names a chart the embed lacks`);
    }
  });

  for (const lesson of LESSONS) {
    it(`${lesson.name}: every claim and moment holds over its whole run (${lesson.steps} steps) for seeds ${SEEDS.join(', ')}`, async () => {
      const outs = await Promise.all(SEEDS.map((seed) => slot(() => gradlab(['lesson', lesson.name, '--json', '--seed', String(seed), '--every', String(EVERY)]))));
      for (const [k, r] of outs.entries()) {
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.equal(out.lesson, lesson.name);
        assert.equal(out.title, lesson.title);
        assert.equal(out.text, lesson.text);
        assert.equal(out.seed, SEEDS[k]);
        assert.equal(out.steps, lesson.steps);
        const views = lessonViews(out);
        assert.equal(views.at(-1).step, lesson.steps, 'recorded to the end step');
        if (out.runs) {
          for (const run of out.runs) {
            assert.equal(run.status, 'ok');
            assert.ok(run.curve.trainLoss.every((v) => Number.isFinite(v)));
            for (const m of lesson.moments) assert.ok(run.curve.step.includes(m.step), `moment step ${m.step} recorded`);
          }
          assert.ok(views.length >= lesson.steps / EVERY, 'a record every 10 steps');
        } else {
          for (const p of out.race.paths) assert.equal(p.loss.length, lesson.steps + 1);
        }
        const failures = checkLesson(lesson, views);
        assert.deepEqual(failures, [], `seed ${SEEDS[k]}:\n${failures.slice(0, 8).join('\n')}`);
        assert.deepEqual(out.failures, failures, 'the runner reports the same');
      }
    });
  }

  it('a claim fails at the recorded step where its run stops bearing it out, and a missing moment step fails', async () => {
    const lesson = LESSONS.find((l) => l.name === 'zero-init');
    const out = JSON.parse((await gradlab(['lesson', 'zero-init', '--json', '--every', '50'])).stdout);
    assert.deepEqual(checkLesson(lesson, lessonViews(out)), []);
    const zeros = out.runs.find((r) => r.label.includes('zeros'));
    zeros.curve.trainLoss[10] = 0.4;   // as if the zero run had learned something by step 500
    const failures = checkLesson(lesson, lessonViews(out));
    assert.equal(failures.length, 1, failures.join('\n'));
    assert.match(failures[0], /^'The zero run stays at the loss of a coin flip .* at step 500 /);
    const cut = lessonViews(out).filter((v) => v.step !== 100);
    assert.match(checkLesson(lesson, cut).join('\n'), /moment at step 100: the step was not recorded/);
  });

  it('docs/lessons.md shows every lesson\'s text, end step, pace, moments and checked claims as lessons.js has them', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../docs/lessons.md', import.meta.url)), 'utf8');
    for (const l of LESSONS) {
      assert.ok(doc.includes(`\`?lesson=${l.name}\` · ends at step **${l.steps}** · plays at **${l.stepsPerSecond} steps per second**`), `${l.name}: end step and pace`);
      assert.ok(doc.includes(`> ${l.text}\n`), `${l.name}: text`);
      for (const m of l.moments) assert.ok(doc.includes(`| ${m.step} | \`#${m.panel}\` | ${m.text} |`), `${l.name}: moment at ${m.step}`);
      for (const c of l.claims) assert.ok(doc.includes(`"${c.says}"`), `${l.name}: claim '${c.says}' listed`);
    }
  });

  it('about nine thousand weights in the overfitting lesson', async () => {
    const out = JSON.parse((await gradlab(['lesson', 'overfitting', '--json', '--steps', '1'])).stdout);
    assert.ok(LESSONS.find((l) => l.name === 'overfitting').text.includes('about nine thousand weights'));
    assert.ok(out.runs[0].parameters > 8500 && out.runs[0].parameters < 9500, String(out.runs[0].parameters));
  });

  it('prints the curves, the final losses, the layers and the explanation as text; --csv holds the same runs', async () => {
    const [t, j, c] = await Promise.all(['', '--json', '--csv'].map((f) => gradlab(['lesson', 'batch-norm', '--steps', '200', '--every', '50', ...(f ? [f] : [])])));
    assert.equal(t.code, 0, t.stderr);
    const out = JSON.parse(j.stdout);
    assert.match(t.stdout, /^batch-norm: Batch norm rescues a bad initialisation\n2 runs · spiral, 300 samples/);
    for (const run of out.runs) {
      const row = t.stdout.split('\n').find((line) => line.startsWith(`${run.label}  `));
      assert.match(row, /\|[▁▂▃▄▅▆▇█]{40}\|/, 'a text curve per run');
      assert.ok(row.includes(run.final.trainLoss.toFixed(4)) && row.includes(run.final.testLoss.toFixed(4)), row);
    }
    assert.ok(t.stdout.includes("layers of '4×32 tanh BN'"), 'a layer table per run');
    assert.ok(t.stdout.replace(/\s+/g, ' ').includes(out.text), 'the explanation');
    const rows = c.stdout.trim().split('\n');
    assert.equal(rows[0], 'run,step,train_loss,test_loss,train_accuracy,test_accuracy,learning_rate');
    assert.equal(rows.length, 1 + 2 * 5, 'steps 0, 50, 100, 150, 200 for each of two runs');
    const last = rows.at(-1).split(',');
    assert.equal(Number(last[1]), 200);
    assert.equal(Number(last[2]), out.runs[1].final.trainLoss);
  });

  it('--list names every lesson; a missing or unknown name exits 2 with the allowed names', async () => {
    const list = await gradlab(['lesson', '--list']);
    assert.equal(list.code, 0);
    for (const l of LESSONS) assert.match(list.stdout, new RegExp(`^${l.name} +(train|compare|race) +${l.title.replace(/[()]/g, '.')}$`, 'm'));
    for (const args of [['lesson'], ['lesson', 'mnist'], ['lesson', 'adam', '--json', '--csv'], ['lesson', 'adam', '--steps', '0']]) {
      const r = await gradlab(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
    }
    const unknown = await gradlab(['lesson', 'mnist']);
    assert.match(unknown.stderr, /lesson 'mnist' is not known; allowed: zero-init, small-init/);
  });

  it('--racers gives a race lesson other optimisers, each at its own rate or the shared one', async () => {
    const r = await gradlab(['lesson', 'saddle', '--racers', 'sgd~adam@0.02', '--steps', '80', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.race.paths.map((p) => [p.name, p.learningRate]), [['sgd', out.race.learningRate], ['adam', 0.02]]);
    assert.equal(out.failures, null, 'other racers are not the lesson: its claims are not held against them');
    const lab = await loadGradlab();
    for (const p of out.race.paths) {
      const direct = lab.optimize({ surface: 'saddle', start: out.race.start, steps: 80, optimizer: { name: p.name, learningRate: p.learningRate } });
      assert.deepEqual(p.loss, Array.from(direct.loss), `${p.name} follows the engine's path at lr ${p.learningRate}`);
    }
    const text = await gradlab(['lesson', 'saddle', '--racers', 'sgd~adam@0.02', '--steps', '80']);
    assert.match(text.stdout, /^adam \(lr 0\.02\) +\|/m);
    assert.match(text.stdout, /^sgd +\|/m);
    const bad = await gradlab(['lesson', 'saddle', '--racers', 'sgd~adam@fast']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--racers 'sgd~adam@fast' is not allowed; 1 to 6 of sgd, momentum/);
    const notRace = await gradlab(['lesson', 'small-init', '--racers', 'sgd']);
    assert.equal(notRace.code, 2);
    assert.match(notRace.stderr, /--racers is for race lessons only/);
  });
});
