// record.js: the record of one run for time travel: snapshots at steps spaced so that the record
// stays within a fixed memory budget. When a new snapshot would pass the budget, every other older
// snapshot is dropped (the first and the latest stay) and the spacing doubles, so what is kept stays
// evenly spread over the whole run however long it gets. Pure: no DOM and no engine; the snapshots
// are whatever the caller gives (web/lib/snapshot.js makes them from a network).
import { fail } from './names.js';

/** The default budget of one run's record: 16 MiB. */
export const RECORD_BUDGET = 16 * 1024 * 1024;

/**
 * Bytes a snapshot holds: the bytes of its typed arrays, plus 8 for each plain number, walking
 * through arrays and objects (strings and booleans count their length and 1).
 */
export function snapshotBytes(value) {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (typeof value === 'number') return 8;
  if (typeof value === 'string') return value.length;
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (Array.isArray(value)) return value.reduce((sum, v) => sum + snapshotBytes(v), 0);
  if (typeof value === 'object') return Object.values(value).reduce((sum, v) => sum + snapshotBytes(v), 0);
  return 0;
}

export class RunRecord {
  /** budget: the most bytes the snapshots may hold together (default RECORD_BUDGET). */
  constructor({ budget = RECORD_BUDGET } = {}) {
    if (!Number.isFinite(budget) || budget < 1) fail(`record budget ${budget} must be a positive number of bytes`);
    this.budget = budget;
    this.entries = [];   // { step, bytes, snapshot }, steps increasing
    this.bytes = 0;
    this.peakBytes = 0;
    this.spacing = 1;    // the fewest steps between two kept snapshots
  }

  get length() { return this.entries.length; }
  /** The steps that have a snapshot, oldest first. */
  steps() { return this.entries.map((e) => e.step); }
  get first() { return this.entries[0]; }
  get latest() { return this.entries[this.entries.length - 1]; }

  /** The latest snapshot on the even grid (the latest of all unless it was kept only for being the latest). */
  lastOnGrid() {
    const e = this.entries;
    return e.length && e[e.length - 1].extra ? e[e.length - 2] : e[e.length - 1];
  }

  /** Whether a snapshot of `step` would be kept (so the caller can skip making one that is not). */
  wants(step) {
    const last = this.lastOnGrid();
    return !last || step >= last.step + this.spacing;
  }

  /**
   * Keeps snapshot (an object of typed arrays and numbers) for step if it is due; returns whether it
   * was kept. A step at or before the latest kept one is refused, as is a budget that cannot hold the
   * first snapshot and this one together.
   */
  add(step, snapshot) {
    if (!Number.isInteger(step) || step < 0) fail(`record step ${step} must be a whole number >= 0`);
    const last = this.latest;
    if (last && step <= last.step) fail(`record step ${step} is not after the latest recorded step ${last.step}`);
    if (!this.wants(step)) return false;
    const bytes = snapshotBytes(snapshot);
    const first = this.first?.bytes ?? 0;
    if (first + bytes > this.budget) {
      fail(`a snapshot of ${bytes} bytes and the first one (${first} bytes) do not fit a record budget of ${this.budget} bytes`);
    }
    // the latest snapshot kept off the grid gives way to the new latest; then room is made before the
    // new one is stored, so the budget holds at every moment
    for (;;) {
      if (this.latest?.extra) this.bytes -= this.entries.pop().bytes;
      if (this.bytes + bytes <= this.budget) break;
      this.thin();
    }
    // thinning may have widened the grid past this step: then it is kept as the latest only
    this.entries.push({ step, bytes, snapshot, extra: !this.wants(step) });
    this.bytes += bytes;
    this.peakBytes = Math.max(this.peakBytes, this.bytes);
    return true;
  }

  /**
   * Drops every other snapshot (the odd ones counted from the first) and doubles the spacing; the
   * latest stays, marked as kept off the grid, until a newer one takes its place.
   */
  thin() {
    const n = this.entries.length;
    this.entries = this.entries.filter((e, i) => {
      if (i % 2 === 0) return true;
      if (i === n - 1) { e.extra = true; return true; }
      return false;
    });
    this.bytes = this.entries.reduce((sum, e) => sum + e.bytes, 0);
    // the new spacing is the grid's own gap (steps come in slices, so gaps may exceed the spacing)
    const grid = this.entries.filter((e) => !e.extra);
    let gap = Infinity;
    for (let i = 1; i < grid.length; ++i) gap = Math.min(gap, grid[i].step - grid[i - 1].step);
    this.spacing = Math.max(this.spacing * 2, Number.isFinite(gap) ? gap : 0);
  }

  /** { step, snapshot } of the kept step nearest to step (the earlier one on a tie), or null when empty. */
  nearest(step) {
    const e = this.entries;
    if (!e.length) return null;
    let lo = 0, hi = e.length - 1;
    while (lo < hi) { // the first entry at or after step
      const mid = (lo + hi) >> 1;
      if (e[mid].step < step) lo = mid + 1; else hi = mid;
    }
    const pick = lo > 0 && step - e[lo - 1].step <= e[lo].step - step ? lo - 1 : lo;
    return { step: e[pick].step, snapshot: e[pick].snapshot };
  }

  /** { budget, bytes, peakBytes, spacing, length, first, latest } for a memory readout. */
  usage() {
    return { budget: this.budget, bytes: this.bytes, peakBytes: this.peakBytes, spacing: this.spacing,
      length: this.length, first: this.first?.step ?? null, latest: this.latest?.step ?? null };
  }
}
