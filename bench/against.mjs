// against.mjs: trains one network with gradlab SIMD builds side by side in one process, to tell
// whether a change to the C core made training faster or slower on a shared machine.
// `node bench/against.mjs DIR [DIR ...] [--network d500] [--reps 21] [--block 0.3] [--kernel NAME]`
// Each DIR holds a gradlab-simd.wasm (copy web/wasm/ aside before the change); this checkout's
// web/wasm/ is the last build. The builds train in turn, in an order that rotates each repetition,
// each block timed by this process's CPU time (process.cpuUsage), which other processes' time
// slices do not inflate. Prints each build's median samples/s and its ratio to the first DIR,
// formed within each repetition (median, min, max), and the CPU.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gradlabEngine } from './engines.mjs';
import { NETWORKS, toyData } from './networks.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const valued = new Set(['--network', '--reps', '--block', '--kernel']);
const dirs = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]));
const netName = option('--network', 'd500'), reps = Number(option('--reps', 21)), block = Number(option('--block', 0.3));
const kernel = option('--kernel', '4x8-loadsplat');
const net = NETWORKS.find((n) => n.name === netName);
const fail = (msg) => { console.error(`against.mjs: ${msg}`); process.exit(2); };
if (!dirs.length) fail('give at least one folder holding a gradlab-simd.wasm built before the change');
if (!net) fail(`--network ${netName}: allowed ${NETWORKS.map((n) => n.name).join(', ')}`);
if (!(Number.isInteger(reps) && reps >= 1)) fail(`--reps ${option('--reps')}: a whole number >= 1`);
if (!(block > 0)) fail(`--block ${option('--block')}: seconds > 0`);

const here = new URL('../web/wasm/', import.meta.url);
const builds = [...dirs.map((d) => pathToFileURL(d.endsWith('/') ? d : `${d}/`)), here];
const data = toyData(net, net.inputs >= 500 ? 2048 : 4096);
const trainers = [];
for (const base of builds) {
  const runner = (await gradlabEngine(true, kernel, base.href)).prepare(net, data);
  trainers.push((steps) => {
    const c0 = process.cpuUsage();
    runner.run(steps);
    const c = process.cpuUsage(c0);
    return (steps * net.batch) / ((c.user + c.system) / 1e6);
  });
}
for (let i = 0; i < 3; ++i) for (const t of trainers) t(2);
let steps = 1;
while ((steps * net.batch) / trainers[0](steps) < block) steps *= 2;
const rates = trainers.map(() => []);
for (let r = 0; r < reps; ++r) {
  for (let j = 0; j < trainers.length; ++j) { const i = (j + r) % trainers.length; rates[i].push(trainers[i](steps)); }
}
const median = (v) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const cpu = execFileSync('lscpu', { encoding: 'utf8' }).match(/Model name:\s*(.*)/)?.[1] ?? 'unknown CPU';
console.log(`${netName} with gradlab SIMD (${kernel}), ${reps} repetitions of ${steps} steps, CPU time; ${cpu}; ` +
  `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
builds.forEach((b, i) => {
  const ratio = rates[i].map((x, r) => x / rates[0][r]);
  const name = b === here ? 'this checkout' : fileURLToPath(b);
  console.log(`${name}: ${median(rates[i]).toFixed(0)} samples/s, ÷ ${dirs[0]}: ${median(ratio).toFixed(4)} ` +
    `(${Math.min(...ratio).toFixed(3)}–${Math.max(...ratio).toFixed(3)})`);
});
