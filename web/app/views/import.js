// import.js: bringing things to the page. A saved run (a zip from "Save run") arrives by dropping it
// on the page, through "Open run…", or as ?run=<address of a served file>; run 0's worker checks it
// by loading it in full (worker-files.js) while the current run goes on, and only a run that loaded
// replaces it, continuing at the saved step. Until a change of settings builds another network, Reset
// goes back to that opened run as saved (the file is opened again), not to step 0. Opened in the
// optimiser race, which has no run to continue, the page switches to Train first. Your own data arrive as CSV (pasted, dropped or chosen)
// and are read here by csv.js, which enforces its limits before anything reaches the engine; a
// preview shows the first rows, the counts, the split and, for two inputs, a scatter of the points.
import { CSV_LIMITS, parseDataCsv } from '../../lib/csv.js';
import { LIMITS } from '../../lib/boundary.js';
import { el } from '../dom.js';
import { drawDataPicture } from '../draw.js';
import { datasetSpec, runConfig } from '../config.js';
import { OWN_DATA, paramInfo, parseState } from '../state.js';

const $ = (id) => document.getElementById(id);

/** The most bytes a saved run's zip may have when it is opened or fetched. */
export const RUN_FILE_LIMIT = 256 * 1024 * 1024;
/** Rows of the CSV preview's table. */
const PREVIEW_ROWS = 5;
/** A file longer than this is read without being shown in the text box (a huge text box stalls the page). */
const SHOWN_CHARACTERS = 100000;

/** ?run=<url> split from the rest of an address: { url (null when absent), search (the address without it) }. */
export function takeRunParam(search) {
  let params;
  try { params = new URLSearchParams(search); } catch { return { url: null, search }; }
  if (!params.has('run')) return { url: null, search };
  const url = params.get('run');
  params.delete('run');
  const rest = params.toString();
  return { url, search: rest ? `?${rest}` : '' };
}

const isZip = (bytes) => bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b;
const shown = (text) => { const t = String(text); return t.length > 60 ? `${t.slice(0, 60)}…` : t; };

/** Reads a saved run's settings into a page state, or says what does not match the saved network. */
function restoredState(settings, rows) {
  const { state, notes } = parseState(settings.query, rows);
  Object.assign(state, { mode: 'train', runs: '', lesson: '' });
  if (!Number.isInteger(settings.batchSize) || settings.batchSize < 0 || settings.batchSize > paramInfo('batch').max) {
    return { problem: `its batch size ${shown(settings.batchSize)} is not one the page can run (0 to ${paramInfo('batch').max})` };
  }
  state.batch = settings.batchSize;
  if (rows && state.data !== OWN_DATA) return { problem: 'it trained on your own rows, but its settings name another data set' };
  let config;
  try { config = runConfig(state); } catch (error) { return { problem: `its settings cannot be built: ${error.message}` }; }
  if (JSON.stringify(config.network) !== JSON.stringify(settings.network)) {
    return { problem: 'its page settings describe another network than the one saved in run.json (layers, loss, init or seed differ)' };
  }
  if (JSON.stringify(config.optimizer) !== JSON.stringify(settings.optimizer)) {
    return { problem: 'its page settings describe another optimiser than the one saved in run.json' };
  }
  const data = datasetSpec(state);
  if (data.name !== 'custom' && JSON.stringify(data) !== JSON.stringify(settings.data)) {
    return { problem: 'its page settings describe another data set than the one saved in run.json' };
  }
  return { state, notes };
}

/**
 * The import side over `page` ({ state, session, tell(text, { bad }), restore(state, id, notes), change(patch) }).
 * runUrl: the address ?run= named (or null).
 */
export function createImport(page, runUrl) {
  let waitingFor = null;   // the id of the saved run sent to the worker
  let asked = null;        // { bytes, source, again } of the file being checked (again: a Reset)
  let held = null;         // { bytes, source, step }: the saved run on the page, which Reset returns to
  let restoring = false;   // the next build is the opened run's (it keeps `held`)
  const resetButton = $('reset'), resetLabel = resetButton.getAttribute('aria-label');

  /** Reset back to the saved run (`run`), or the usual Reset (null). */
  const holdRun = (run) => {
    held = run;
    if (run) {
      resetButton.title = `Back to the opened run: ${run.source} at step ${run.step}, as saved (its settings too)`;
      resetButton.setAttribute('aria-label', `Reset: back to the opened run at step ${run.step}`);
    } else {
      resetButton.removeAttribute('title');
      resetButton.setAttribute('aria-label', resetLabel);
    }
  };

  const openBytes = (bytes, source, { again = false } = {}) => {
    if (!isZip(bytes)) { page.tell(`${source} is not a saved run: a saved run is the .zip "Save run" gives (its first bytes are PK).`, { bad: true }); return; }
    if (bytes.length > RUN_FILE_LIMIT) { page.tell(`${source} has ${bytes.length} bytes; a saved run may have at most ${RUN_FILE_LIMIT}.`, { bad: true }); return; }
    if (page.state.mode === 'race') {
      // the race has no network to continue: Train builds one, whose worker then checks the file
      page.change({ mode: 'train' });
      page.tell(`${source}: a saved run continues a training run, so the page left the optimiser race for Train (the Optimiser race button brings the race back). Checking it…`);
      page.session.addEventListener('ready', () => openBytes(bytes, source), { once: true });
      return;
    }
    if (!page.session.runs[0]) { page.tell(`${source}: the page has no run to open it in yet; try again when the run is built.`, { bad: true }); return; }
    if (!again) page.tell(`Checking ${source}…`);
    asked = { bytes: bytes.slice(), source, again };   // the worker takes `bytes`; Reset opens this copy again
    waitingFor = page.session.openRun(bytes);
  };

  /** Reset while a saved run is on the page: that run again, as saved (true), or nothing to do (false: the usual Reset). */
  page.reopenRun = () => {
    if (!held || page.state.mode === 'race' || page.session.runs.some((r) => r.fault)) return false;   // a failed worker needs the usual Reset
    page.session.pause();
    openBytes(held.bytes.slice(), held.source, { again: true });
    return true;
  };

  page.session.on('opened', ({ id, settings, step, rows }) => {
    if (id !== waitingFor) return;
    waitingFor = null;
    const { state, notes, problem } = restoredState(settings, rows);
    if (problem) { page.tell(`This saved run cannot be loaded: ${problem}. The current run goes on.`, { bad: true }); return; }
    restoring = true;
    page.restore(state, id, notes);
    holdRun({ bytes: asked.bytes, source: asked.source, step });
    page.tell(asked.again ? `Back at the opened run (${asked.source}), step ${step}, as saved. Play continues it from there.`
      : `Opened the saved run at step ${step}. Play continues it exactly where it was saved; Reset comes back here.`);
  });
  page.session.on('refused', ({ what, message }) => {
    if (what !== 'open' || waitingFor == null) return;
    waitingFor = null;
    page.tell(`${message.charAt(0).toUpperCase()}${message.slice(1)}. The current run goes on.`, { bad: true });
  });
  // any other build (a change of settings, a lesson, your data, a Reset after a fault) or the race leaves the saved run behind
  page.session.on('runs', () => { if (restoring) restoring = false; else if (held) holdRun(null); });
  page.session.on('racestart', () => { if (held) holdRun(null); });

  /** A file given to the page: a saved run, or (dropped, not a zip) CSV text. */
  const readFile = async (file, { run = false } = {}) => {
    if (file.size > RUN_FILE_LIMIT) { page.tell(`${shown(file.name)} has ${file.size} bytes; the limit is ${RUN_FILE_LIMIT}.`, { bad: true }); return; }
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (run || isZip(bytes)) openBytes(bytes, shown(file.name));
    else csv.show(new TextDecoder().decode(bytes), shown(file.name));
  };

  // dropping a file anywhere on the page: a zip is a saved run, anything else is read as CSV
  document.addEventListener('dragover', (e) => { if (e.dataTransfer?.types.includes('Files')) { e.preventDefault(); document.body.classList.add('dropping'); } });
  document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) document.body.classList.remove('dropping'); });
  document.addEventListener('drop', (e) => {
    document.body.classList.remove('dropping');
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    e.preventDefault();
    readFile(file).catch((error) => page.tell(`${shown(file.name)} could not be read: ${error.message}`, { bad: true }));
  });
  $('open-run').addEventListener('click', () => $('open-run-file').click());
  $('open-run-file').addEventListener('change', () => {
    const file = $('open-run-file').files[0];
    $('open-run-file').value = '';
    if (file) readFile(file, { run: true }).catch((error) => page.tell(`${shown(file.name)} could not be read: ${error.message}`, { bad: true }));
  });

  const csv = createCsvBox(page);

  /** ?run=<url>: fetched once the first run is ready (its worker checks the file). */
  const fetchRun = async (url) => {
    let target;
    try { target = new URL(url, location.href); } catch { page.tell(`run = ${shown(url)} is not an address; it was ignored.`, { bad: true }); return; }
    if (!['http:', 'https:'].includes(target.protocol)) { page.tell(`run = ${shown(url)}: only http and https addresses can be opened; it was ignored.`, { bad: true }); return; }
    try {
      const response = await fetch(target, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const length = Number(response.headers.get('content-length'));
      if (length > RUN_FILE_LIMIT) throw new Error(`it has ${length} bytes; the limit is ${RUN_FILE_LIMIT}`);
      openBytes(new Uint8Array(await response.arrayBuffer()), shown(target.pathname.split('/').pop() || target.href));
    } catch (error) {
      page.tell(`The saved run at ${shown(target.href)} could not be fetched: ${error.message}.`, { bad: true });
    }
  };
  if (runUrl != null) {
    let fetched = false;
    page.session.on('ready', () => { if (!fetched) { fetched = true; fetchRun(runUrl); } });
  }
  return { openBytes, csv };
}

/** The "Your data" box: CSV text in, a preview, and a button that trains on the rows. */
function createCsvBox(page) {
  const box = $('csv-box');
  const text = el('textarea', { id: 'csv-text', rows: '5', spellcheck: 'false', 'aria-label': 'CSV text: columns x1…xd and a label or target',
    placeholder: 'x1,x2,label\n0.5,-1.2,0\n1.1,0.3,1\n…' });
  const label = el('select', { id: 'csv-label', 'aria-label': 'Label column' });
  for (const [v, t] of [['last', 'last column'], ['first', 'first column']]) label.add(new Option(t, v));
  const task = el('select', { id: 'csv-task', 'aria-label': 'Task' });
  for (const [v, t] of [['auto', 'task: from the labels'], ['classification', 'classification'], ['regression', 'regression']]) task.add(new Option(t, v));
  const picker = el('input', { type: 'file', id: 'csv-file', accept: '.csv,text/csv,text/plain', hidden: '' });
  const choose = el('button', { type: 'button', text: 'Choose a file…' });
  const message = el('p', { id: 'csv-message', class: 'csv-message', role: 'alert' });
  const summary = el('p', { id: 'csv-summary', class: 'csv-summary' });
  const table = el('table', { id: 'csv-preview', class: 'csv-preview' });
  const scatter = el('canvas', { id: 'csv-scatter', width: '120', height: '120', 'aria-label': 'The rows as points (two inputs)' });
  const use = el('button', { type: 'button', id: 'csv-use', text: 'Train on these rows', disabled: '' });
  const close = el('button', { type: 'button', id: 'csv-close', text: 'Close' });
  box.append(
    el('h3', { text: 'Your data' }),
    el('p', { class: 'hint', text: `Columns x1…xd and one label (a class) or target (a number); a header row is optional. ` +
      `Up to ${CSV_LIMITS.rows} rows, ${CSV_LIMITS.columns - 1} inputs, ${LIMITS.dataFloats} values and ${CSV_LIMITS.classes} classes.` }),
    text, el('div', { class: 'csv-options' }, [label, task, choose, picker]), message, summary,
    el('div', { class: 'csv-look' }, [el('div', { class: 'csv-table-wrap' }, [table]), scatter]), el('div', { class: 'csv-buttons' }, [use, close]),
  );
  let parsed = null, source = 'the pasted text', timer = 0;
  let held = null;   // the text of a file too long to show in the box

  const read = () => {
    timer = 0;
    parsed = null;
    use.disabled = true;
    message.textContent = summary.textContent = '';
    table.replaceChildren();
    scatter.hidden = true;
    const content = held ?? text.value;
    if (content.trim() === '') return;
    try {
      parsed = parseDataCsv(content, { label: label.value, task: task.value });
    } catch (error) {
      message.textContent = `${source}: ${error.message}`;
      return;
    }
    const { rows, inputs, task: kind, dataset, columns, label: name } = parsed;
    const test = Math.round(rows * page.state.test);
    summary.textContent = `${rows} rows, ${inputs} input${inputs === 1 ? '' : 's'}, label column '${shown(name)}': ` +
      (kind === 'classification' ? `${dataset.classes} classes` : 'regression') +
      `. Split: about ${rows - test} train and ${test} test rows (test share ${page.state.test}, under More data settings).` +
      (inputs === 2 ? ' Two inputs: the boundary view shows them.' : ' Not two inputs: the boundary view is hidden, the other views show the run.');
    const head = el('tr', {}, columns.map((c) => el('th', { text: shown(c) })));
    const body = [];
    for (let r = 0; r < Math.min(PREVIEW_ROWS, rows); ++r) {
      // a float32 as its shortest decimal (0.3, not 0.30000001192092896)
      const cells = Array.from({ length: inputs }, (_, i) => String(Number(dataset.x[r * inputs + i].toPrecision(7))));
      const y = parsed.classNames ? parsed.classNames[dataset.y[r]] : String(Number(dataset.y[r].toPrecision(7)));
      const labelAt = columns.indexOf(name);
      cells.splice(labelAt, 0, y);
      body.push(el('tr', {}, cells.map((c) => el('td', { text: shown(c) }))));
    }
    table.replaceChildren(el('thead', {}, [head]), el('tbody', {}, body));
    if (inputs === 2) {
      scatter.hidden = false;
      drawDataPicture(scatter, { inputs, classes: dataset.classes ?? 0, shape: [1, 1, 2], x: scaled(dataset.x), y: dataset.y });
    }
    use.disabled = false;
  };
  const later = () => { if (timer) clearTimeout(timer); timer = setTimeout(read, 200); };
  text.addEventListener('input', () => { source = 'the pasted text'; held = null; later(); });
  label.addEventListener('change', read);
  task.addEventListener('change', read);
  choose.addEventListener('click', () => picker.click());
  picker.addEventListener('change', async () => {
    const file = picker.files[0];
    picker.value = '';
    if (file) show(await file.text(), shown(file.name));
  });
  close.addEventListener('click', () => { box.hidden = true; $('own-data').focus(); });
  use.addEventListener('click', () => {
    if (!parsed) return;
    const d = parsed.dataset;
    const own = { ...d, rows: parsed.rows, columns: parsed.columns, label: parsed.label, classNames: parsed.classNames };
    page.useOwnData(own);
    page.tell(`Training on your ${parsed.rows} rows from ${source}.`);
  });
  $('own-data').addEventListener('click', () => { box.hidden = !box.hidden; if (!box.hidden) text.focus(); });

  function show(content, from) {
    box.hidden = false;
    held = content.length > SHOWN_CHARACTERS ? content : null;
    text.value = held ? `${content.slice(0, 2000)}\n… (${from}: ${content.length} characters, read in full but not all shown here)` : content;
    source = from;
    read();
  }
  return { show, read: () => parsed };
}

/** Points of two inputs scaled into [-1.6, 1.6]², the square the data pictures draw. */
function scaled(x) {
  let most = 0;
  for (const v of x) most = Math.max(most, Math.abs(v));
  const k = most > 0 ? 1.5 / most : 1;
  return x.map((v) => v * k);
}
