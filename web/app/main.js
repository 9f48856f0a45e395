// main.js: the page. It only renders what the worker sends and forwards the user's commands.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { DATASETS } from '../lib/names.js';

const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const config = { dataset: 'spiral', seed: 1 };
const steps = [], losses = [];
const chart = new uPlot({ width: 420, height: 300, scales: { x: { time: false } },
  series: [{ label: 'step' }, { label: 'loss', stroke: '#0072b2', width: 2 }] }, [steps, losses], $('loss-chart'));
const COLORS = [[0, 114, 178], [230, 159, 0], [0, 158, 115], [204, 121, 167], [86, 180, 233]];
let playing = false;

for (const name of DATASETS.filter((d) => !['plane', 'sine'].includes(d))) $('dataset').add(new Option(name, name));
$('dataset').value = config.dataset;
$('dataset').onchange = () => { config.dataset = $('dataset').value; reset(); };
$('play').onclick = () => {
  playing = !playing;
  worker.postMessage({ type: playing ? 'play' : 'pause' });
  $('play').textContent = playing ? 'Pause' : 'Play';
  $('play').setAttribute('aria-label', playing ? 'Pause' : 'Play');
};
$('reset').onclick = () => reset();

function reset() {
  playing = false;
  $('play').textContent = 'Play';
  $('play').setAttribute('aria-label', 'Play');
  steps.length = 0; losses.length = 0;
  chart.setData([steps, losses]);
  worker.postMessage({ type: 'reset', config });
}

function drawBoundary({ grid, probs, classes, points, labels }) {
  const canvas = $('boundary'), ctx = canvas.getContext('2d');
  const image = ctx.createImageData(grid, grid);
  for (let p = 0; p < grid * grid; ++p) {
    let best = 0;
    for (let c = 1; c < classes; ++c) if (probs[p * classes + c] > probs[p * classes + best]) best = c;
    const col = COLORS[best % COLORS.length];
    image.data.set([col[0], col[1], col[2], 70 + 120 * (probs[p * classes + best] - 1 / classes)], p * 4);
  }
  const tmp = new OffscreenCanvas(grid, grid);
  tmp.getContext('2d').putImageData(image, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tmp, 0, 0, canvas.width, canvas.height);
  for (let i = 0; i < labels.length; ++i) {
    const col = COLORS[labels[i] % COLORS.length];
    ctx.fillStyle = `rgb(${col.join(',')})`;
    ctx.strokeStyle = '#fff';
    ctx.beginPath();
    ctx.arc((points[2 * i] + 1.5) / 3 * canvas.width, (1.5 - points[2 * i + 1]) / 3 * canvas.height, 3.5, 0, 2 * Math.PI);
    ctx.fill(); ctx.stroke();
  }
}

worker.onmessage = ({ data: msg }) => {
  if (msg.type === 'ready') $('build').textContent = msg.simd ? 'wasm SIMD build' : 'scalar wasm build (this browser lacks wasm SIMD)';
  else if (msg.type === 'error') $('status').textContent = `Error: ${msg.message}`;
  else if (msg.type === 'snapshot') {
    const r = msg.result;
    if (Number.isFinite(r.loss)) { steps.push(r.step); losses.push(r.loss); chart.setData([steps, losses]); }
    $('status').textContent = r.status === 'diverged' ? `Diverged at step ${r.step}: lower the learning rate`
      : `step ${r.step}  loss ${Number.isFinite(r.loss) ? r.loss.toFixed(4) : '–'}  accuracy ${r.accuracy == null ? '–' : (100 * r.accuracy).toFixed(1) + '%'}`;
    drawBoundary(msg);
  }
};
worker.postMessage({ type: 'init', config });
