// threads.mjs: CPU time of the threads of the Chromium renderers this Node process started (Linux
// /proc), for tests that check how much of a core workers take. Other programs' browsers on the same
// machine are left out: only processes descended from this process count.
import { readFileSync, readdirSync } from 'node:fs';

const TICKS = 100;   // clock ticks per second of /proc's utime and stime (USER_HZ on Linux)

function stat(path) {
  const text = readFileSync(path, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');   // after "pid (comm) "
  return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS };
}

/** Pids of every process below this one. */
function descendants(root = process.pid) {
  const parents = new Map();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try { parents.set(Number(p), stat(`/proc/${p}/stat`).ppid); } catch { /* ended meanwhile */ }
  }
  const out = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) if (!out.has(pid) && out.has(ppid)) { out.add(pid); grew = true; }
  }
  out.delete(root);
  return [...out];
}

/** Threads of this process's Chromium renderers: [{ pid, tid, name, cpu (seconds) }]; main: the renderer's own thread. */
export function rendererThreads() {
  const threads = [];
  for (const pid of descendants()) {
    let cmd;
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (!cmd.includes('--type=renderer')) continue;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        threads.push({ pid, tid: Number(tid), name, main: Number(tid) === pid, cpu: stat(`/proc/${pid}/task/${tid}/stat`).cpu });
      } catch { /* ended meanwhile */ }
    }
  }
  return threads;
}

/** CPU seconds each thread used between two rendererThreads() readings (threads in both). */
export function cpuBetween(a, b) {
  const before = new Map(a.map((t) => [t.tid, t]));
  return b.filter((t) => before.has(t.tid)).map((t) => ({ ...t, cpu: t.cpu - before.get(t.tid).cpu }));
}

/** CPU seconds the whole machine has spent busy (all cores, /proc/stat), and this process tree's share of them. */
export function machineCpu() {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const busy = (f.reduce((a, b) => a + b, 0) - f[3] - f[4]) / TICKS;   // all but idle and iowait
  let ours = stat(`/proc/${process.pid}/stat`).cpu;
  for (const pid of descendants()) { try { ours += stat(`/proc/${pid}/stat`).cpu; } catch { /* ended */ } }
  return { busy, ours };
}
