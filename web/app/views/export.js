// export.js: taking things away from the page. Every panel gets a small download menu (a
// <details>, so it opens with the keyboard): a PNG of the panel, an SVG of each line chart, the
// curves as CSV and JSON, the layer statistics as CSV and JSON. The run itself is one zip ("Save
// run"), and "Export as PyTorch" downloads the run as a script. Pictures and curve tables are made
// here from what the page draws; the layer statistics, the zip and the script are made in the run's
// worker next to the engine (worker-files.js) and arrive as bytes.
//
// A panel may offer more through its element: `panel._glExport = { svg: () => text, label }` (the
// strips view gives its strips' SVG this way).
import { lineChartSvg } from '../../lib/svg.js';
import { CURVE_COLUMNS, curvesCsv, toCsv, toJson } from '../../lib/tables.js';
import { el } from '../dom.js';
import { runState, serializeState } from '../state.js';

const $ = (id) => document.getElementById(id);

/** Saves bytes or text under `name` through the browser's download. */
export function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A run's curves as the API's points: { step, loss, accuracy, learningRate, testLoss, testAccuracy }. */
export function curvePoints(run) {
  const c = run.curves;
  return c.x.map((step, i) => ({
    step, loss: c.trainLoss[i], accuracy: c.trainAcc[i], learningRate: c.lr[i], testLoss: c.testLoss[i], testAccuracy: c.testAcc[i],
  }));
}

/** The address query that rebuilds run's state alone (a compare run becomes a train run of its own). */
export const runQuery = (page, run) => serializeState({ ...runState(page.state, run.overrides), mode: 'train', runs: '' });

/** The canvases of a panel stacked into one PNG (a white ground, as the page shows them). */
function panelPng(panel) {
  const canvases = [...panel.querySelectorAll('canvas')].filter((c) => c.width && c.height && c.offsetParent !== null);
  if (!canvases.length) return null;
  const width = Math.max(...canvases.map((c) => c.width)), height = canvases.reduce((h, c) => h + c.height, 0);
  const out = document.createElement('canvas');
  out.width = width; out.height = height;
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  let y = 0;
  for (const c of canvases) { ctx.drawImage(c, 0, y); y += c.height; }
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}

/** The uPlot charts of a panel (charts.js keeps each on its element as _glChart). */
const chartsIn = (panel) => [...panel.querySelectorAll('div')].map((d) => d._glChart).filter((c) => c && c.data?.[0]?.length !== undefined);

function chartSvg(chart) {
  const series = chart.series.slice(1).map((s, i) => ({
    label: s.label, color: typeof s.stroke === 'function' ? s.stroke(chart, i + 1) : s.stroke,
  }));
  return lineChartSvg(chart.data, { title: chartTitle(chart), series, logY: chart.scales.y?.distr === 3, xLabel: chart.series[0].label });
}

const chartTitle = (chart) => chart.root?.querySelector('.u-title')?.textContent ?? 'chart';
const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'panel';

/** What a panel offers: [{ label, make: async () => { name, type, content } | null }]. */
function panelItems(page, panel, name, { curves, stats }) {
  const items = [{ label: 'PNG picture', make: async () => ({ name: `${name}.png`, type: 'image/png', content: await panelPng(panel) }) }];
  for (const chart of chartsIn(panel)) {
    items.push({ label: `SVG: ${chartTitle(chart)}`, make: () => ({ name: `${slug(chartTitle(chart))}.svg`, type: 'image/svg+xml', content: chartSvg(chart) }) });
  }
  if (panel._glExport?.svg) items.push({ label: panel._glExport.label ?? 'SVG', make: () => ({ name: `${name}.svg`, type: 'image/svg+xml', content: panel._glExport.svg() }) });
  if (curves) {
    items.push({ label: 'Curves CSV', make: () => ({ name: 'curves.csv', type: 'text/csv', content: curvesTable(page) }) });
    items.push({ label: 'Curves JSON', make: () => ({ name: 'curves.json', type: 'application/json', content: curvesJson(page) }) });
  }
  if (stats) {
    items.push({ label: 'Layer statistics CSV', make: () => fromWorker(page, 'stats-csv') });
    items.push({ label: 'Layer statistics JSON', make: () => fromWorker(page, 'stats-json') });
  }
  return items;
}

/** One run's curves as curvesCsv writes them; several runs: the same columns after a run column. */
function curvesTable(page) {
  const runs = page.session.runs;
  if (runs.length === 1) return curvesCsv(curvePoints(runs[0]));
  const columns = ['run', ...CURVE_COLUMNS.map(([c]) => c)];
  return toCsv(columns, runs.flatMap((r) => curvePoints(r).map((p) => ({ run: r.label, ...Object.fromEntries(CURVE_COLUMNS.map(([c, k]) => [c, p[k]])) }))));
}

function curvesJson(page) {
  const runs = page.session.runs;
  return toJson(runs.length === 1 ? curvePoints(runs[0]) : runs.map((r) => ({ run: r.label, curves: curvePoints(r) })));
}

const waiting = new Map();   // what -> resolve, for downloads the worker makes

/** Asks run 0's worker for a file and waits for its bytes (null when it refused; the message says why). */
function fromWorker(page, what, index = 0) {
  const run = page.session.runs[index];
  if (!run) return null;
  return new Promise((resolve) => {
    waiting.get(what)?.(null);
    waiting.set(what, resolve);
    const settings = what === 'run' ? runQuery(page, run) : '';
    if (!page.session.requestFile(index, what, settings, what === 'run' ? curvePoints(run) : null)) { waiting.delete(what); resolve(null); }
  });
}

/** The page's download menus and the run's buttons. page.tell(text, { bad }) shows a message. */
export function createExport(page) {
  page.session.on('file', ({ what, name, mime, bytes }) => {
    const resolve = waiting.get(what);
    waiting.delete(what);
    resolve?.({ name, type: mime, content: bytes });
  });
  page.session.on('refused', ({ what, message }) => {
    if (what === 'open') return;   // import.js says it
    const resolve = waiting.get(what);
    waiting.delete(what);
    page.tell(`Could not make the ${what === 'pytorch' ? 'PyTorch script' : what === 'run' ? 'saved run' : 'table'}: ${message}`, { bad: true });
    resolve?.(null);
  });

  const run = async (make, label) => {
    try {
      const file = await make();
      if (!file?.content) { if (file !== null) page.tell(`${label}: there is nothing drawn yet to save.`, { bad: true }); return; }
      download(file.name, file.type, file.content);
      page.tell(`Downloaded ${file.name}.`);
    } catch (error) {
      page.tell(`${label} failed: ${error.message}`, { bad: true });
    }
  };

  const STATS = ['health-panel', 'depth-panel', 'hist-panel'];
  const panels = [...document.querySelectorAll('.views figure.panel')];
  panels.forEach((panel, k) => {
    const name = slug(panel.querySelector('h3')?.textContent ?? [...panel.classList].find((c) => c.endsWith('-panel'))?.replace('-panel', '') ?? `panel-${k + 1}`);
    const stats = STATS.some((c) => panel.classList.contains(c)) || Boolean(panel.querySelector('#gradnorm-chart, #ratio-chart'));
    const menu = el('details', { class: 'panel-menu' }, [el('summary', { 'aria-label': `Download this panel (${name})`, title: 'Download', text: '⤓' })]);
    const list = el('div', { class: 'panel-menu-list', role: 'group', 'aria-label': `Downloads of ${name}` });
    menu.append(list);
    // the items depend on the charts the panel holds now, so they are listed when the menu opens
    menu.addEventListener('toggle', () => {
      if (!menu.open) return;
      for (const other of document.querySelectorAll('.panel-menu[open]')) if (other !== menu) other.open = false;
      list.replaceChildren(...panelItems(page, panel, name, { curves: panel.classList.contains('curves-panel'), stats }).map((item) => {
        const b = el('button', { type: 'button', text: item.label });
        b.addEventListener('click', () => { menu.open = false; run(item.make, item.label); });
        return b;
      }));
      list.querySelector('button')?.focus();
    });
    menu.addEventListener('keydown', (e) => {
      if (e.key === ' ' && e.target.tagName === 'SUMMARY') e.stopPropagation();   // Space opens the menu here, not Play
      if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && menu.open) {   // move through the items
        const items = [...list.querySelectorAll('button')], at = items.indexOf(document.activeElement);
        items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
        e.preventDefault();
      }
      if (e.key === 'Escape' && menu.open) { menu.open = false; menu.querySelector('summary').focus(); e.stopPropagation(); }
    });
    panel.prepend(menu);
  });

  $('save-run').addEventListener('click', () => run(() => fromWorker(page, 'run'), 'Save run'));
  $('export-pytorch').addEventListener('click', () => run(() => fromWorker(page, 'pytorch'), 'Export as PyTorch'));
  const sync = () => {
    const ready = page.state.mode !== 'race' && Boolean(page.session.runs[0]?.built);
    $('save-run').disabled = $('export-pytorch').disabled = !ready;
  };
  for (const type of ['built', 'runs', 'racestart']) page.session.on(type, sync);
  sync();
  return { sync };
}
