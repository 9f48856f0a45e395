// Axis labels: as many digits as the ticks need, never two alike, never a non-zero tick shown as 0.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatTicks } from '../../web/app/format.js';

it('labels ticks with the digits their spacing needs', () => {
  assert.deepEqual(formatTicks([1.096, 1.098, 1.1, 1.102]), ['1.096', '1.098', '1.1', '1.102']);
  assert.deepEqual(formatTicks([0, 250, 500]), ['0', '250', '500']);
  assert.deepEqual(formatTicks([0, 0.5, 1]), ['0', '0.5', '1']);
  assert.deepEqual(formatTicks([0.001, 0.01, 0.1]), ['1e-3', '0.01', '0.1']);
  assert.deepEqual(formatTicks([null, 2, 4]), ['', '2', '4']);
  assert.deepEqual(formatTicks([100000, 200000]), ['1e+5', '2e+5']);
});
