// The Node examples run and print their tables.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { it } from 'node:test';

it('examples/experiments.mjs prints the depth, batch-norm, symmetry and dropout tables', () => {
  const out = execFileSync(process.execPath, ['examples/experiments.mjs'], { encoding: 'utf8' });
  const small = out.split('\n').find((l) => l.startsWith('tanh, small init N'));
  assert.match(small, /0\.213\s+0\.048\s+0\.011/);
  assert.match(out, /with batch norm:\s+loss 0\.\d+\s+accuracy 9\d\.\d%/);
  assert.match(out, /"zeros"\s+layer 1: 1 of 8, layer 2: 1 of 8/);
  assert.match(out, /inverted:\s+training mean/);
});
