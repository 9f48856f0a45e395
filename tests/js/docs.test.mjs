// The docs stay true to the code. Every ```js run block of docs/api.md runs as its own module,
// importing 'gradlab' through the package's exports map, and every ```sh run block of docs/cli.md
// runs the CLI; when a ```text output block follows, the program must print exactly that. The API
// reference must name every export and every public member of Lab, Network and Dataset, and the CLI
// reference every command and flag.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { apiSurface } from './surface-of-api.mjs';
import { blocks } from './doc-blocks.mjs';
import { flags as trainFlags } from '../../bin/cli/train.mjs';
import { flags as depthFlags } from '../../bin/cli/depth.mjs';
import { flags as raceFlags } from '../../bin/cli/race.mjs';
import { flags as lessonFlags } from '../../bin/cli/lesson.mjs';
import { flags as landscapeFlags } from '../../bin/cli/landscape.mjs';
import { flags as sharpnessFlags } from '../../bin/cli/sharpness.mjs';
import { flags as lrFindFlags } from '../../bin/cli/lr-find.mjs';
import { flags as exportFlags } from '../../bin/cli/export.mjs';
import { flags as pytorchFlags } from '../../bin/cli/pytorch.mjs';
import { LESSONS } from '../../web/app/lessons.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(root, 'bin', 'gradlab.mjs');

const clean = (text) => text.replace(/\s+$/gm, '').trim();

let site;
before(() => {
  // a folder where 'gradlab' resolves to this checkout, as it would for an installed package
  site = mkdtempSync(join(tmpdir(), 'gradlab-docs-'));
  mkdirSync(join(site, 'node_modules'));
  symlinkSync(root, join(site, 'node_modules', 'gradlab'), 'dir');
  writeFileSync(join(site, 'package.json'), JSON.stringify({ type: 'module', private: true }));
});
after(() => { if (site) rmSync(site, { recursive: true, force: true }); });

describe('docs/api.md', () => {
  const text = readFileSync(join(root, 'docs', 'api.md'), 'utf8');
  const runnable = blocks(text).filter((b) => b.info === 'js run');

  it('has runnable examples', () => assert.ok(runnable.length >= 8, `${runnable.length} runnable blocks`));

  for (const block of runnable) {
    it(`example at line ${block.line} runs${block.output !== undefined ? ' and prints what the docs show' : ''}`, async () => {
      const file = join(site, `example-${block.line}.mjs`);
      writeFileSync(file, block.code);
      const { stdout } = await run(process.execPath, [file], { cwd: site });
      if (block.output !== undefined) assert.equal(clean(stdout), clean(block.output));
    });
  }

  it('names every export and every public member of Lab, Network and Dataset', async () => {
    const api = await apiSurface();
    const missing = [];
    for (const name of api.exports) if (!text.includes(`\`${name}`)) missing.push(name);
    for (const [cls, prefix] of [['Lab', 'lab.'], ['Network', 'net.'], ['Dataset', 'data.']]) {
      for (const name of api[cls]) if (!text.includes(`\`${prefix}${name}`)) missing.push(`${prefix}${name}`);
    }
    assert.deepEqual(missing, []);
  });
});

describe('docs/cli.md', () => {
  const text = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');
  const runnable = blocks(text).filter((b) => b.info === 'sh run');

  it('has runnable examples for every command', () => {
    for (const c of ['train', 'depth', 'race', 'lesson', 'landscape', 'sharpness', 'lr-find', 'export', 'pytorch']) assert.ok(runnable.some((b) => b.code.includes(`gradlab ${c} `)), c);
  });

  for (const block of runnable) {
    it(`example at line ${block.line} runs${block.output !== undefined ? ' and prints what the docs show' : ''}`, async () => {
      const command = block.code.trim();
      assert.match(command, /^gradlab [^\n]*$/, 'one gradlab command per block, without pipes');
      const args = command.split(/\s+/).slice(1);
      const { stdout } = await run(process.execPath, [BIN, ...args], { cwd: site, maxBuffer: 16 << 20 });
      if (block.output !== undefined) assert.equal(clean(stdout), clean(block.output));
    });
  }

  it('documents every command and every flag', () => {
    for (const [command, table] of [['train', trainFlags], ['depth', depthFlags], ['race', raceFlags], ['lesson', lessonFlags],
      ['landscape', landscapeFlags], ['sharpness', sharpnessFlags], ['lr-find', lrFindFlags], ['export', exportFlags], ['pytorch', pytorchFlags]]) {
      assert.match(text, new RegExp(`^## \`gradlab ${command}\``, 'm'), command);
      const section = text.split(new RegExp(`^## \`gradlab ${command}\``, 'm'))[1].split(/^## /m)[0];
      for (const name of Object.keys(table)) assert.ok(section.includes(`\`--${name}`), `${command} --${name}`);
    }
  });
});

describe('the block reader', () => {
  it('pairs a run block with the text output block right after it, and only then', () => {
    const md = '```js run\na\n```\n```text output\nA\n```\n\n```js run\nb\n```\n\ntext\n\n```text output\nB\n```\n';
    const found = blocks(md);
    assert.equal(found[0].output, 'A\n');
    assert.equal(found[1].output, undefined);
    assert.equal(found[2].info, 'text output');
  });
});

describe('docs/embedding.md', () => {
  it("names every lesson, in the lessons' order, in its `lesson` attribute row", () => {
    const row = readFileSync(join(root, 'docs', 'embedding.md'), 'utf8').split('\n').find((l) => l.startsWith('| `lesson` |'));
    assert.ok(row, 'the attribute table has a `lesson` row');
    const named = [...row.split('):')[1].matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]);
    assert.deepEqual(named, LESSONS.map((l) => l.name));
  });
});
