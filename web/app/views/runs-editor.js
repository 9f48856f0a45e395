// runs-editor.js: compare mode's list of runs, each a few settings that differ from the shared
// state (`runs=init:zeros~init:xavier`), with buttons to add and remove runs and settings.
import { seriesColor } from '../charts.js';
import { el } from '../dom.js';
import { allowed, fieldMessages, problemText } from './field-messages.js';
import { MAX_RUNS, RUN_KEYS, layersProblem, paramInfo, parseRuns, readValue, runLabel, runState, runsText } from '../state.js';

const $ = (id) => document.getElementById(id);

/** The editor over `page` ({ state, change(patch) }); returns { sync() }. */
export function createRunsEditor(page) {
  $('add-run').addEventListener('click', () => {
    const r = parseRuns(page.state.runs);
    if (r.length >= MAX_RUNS) return;
    r.push([['seed', page.state.seed]]);
    page.change({ runs: runsText(r) });
  });

  const settingRow = (overrides, i, j, commitRuns) => {
    const [key, value] = overrides[j];
    const keySel = el('select', { 'aria-label': `Run ${i + 1} setting ${j + 1}` });
    for (const k of RUN_KEYS) if (k === key || !overrides.some(([o]) => o === k)) keySel.add(new Option(k, k));
    keySel.value = key;
    const val = el('input', { type: 'text', value: String(value), autocomplete: 'off', spellcheck: 'false', 'aria-label': `Run ${i + 1} value ${j + 1}` });
    const messages = fieldMessages([keySel, val]);
    // a value the run cannot use is not taken: the row shows the run's setting again and says why
    const commit = () => {
      const typed = val.value.trim(), read = readValue(paramInfo(keySel.value), typed);
      const problem = read.error ?? layersProblem(runState(page.state, [...overrides.filter((_, k) => k !== j), [keySel.value, read.value]]));
      if (problem) {
        const tried = keySel.value;
        keySel.value = key;
        val.value = String(value);
        val.classList.add('invalid');
        messages.problem(problemText(typed, `${tried} ${read.error ? allowed(read.error) : `does not fit: ${problem}`}`, `${key} ${value}`), val);
        return;
      }
      overrides[j] = [keySel.value, read.value];
      commitRuns();
    };
    keySel.addEventListener('change', () => { val.value = String(page.state[keySel.value]); commit(); });
    val.addEventListener('change', commit);
    const drop = el('button', { type: 'button', 'aria-label': `Remove setting ${j + 1} of run ${i + 1}`, text: '×' });
    drop.addEventListener('click', () => { overrides.splice(j, 1); commitRuns(); });
    return [el('div', { class: 'run' }, [keySel, val, drop]), ...messages.nodes];
  };

  return {
    sync() {
      const list = parseRuns(page.state.runs);
      if (typeof list === 'string') return;
      const commitRuns = () => page.change({ runs: runsText(list) });
      const rows = list.map((overrides, i) => {
        // one row per setting the run changes; a run without any is the shared state itself
        const settings = overrides.flatMap((_, j) => settingRow(overrides, i, j, commitRuns));
        const addSetting = el('button', { type: 'button', 'aria-label': `Add a setting to run ${i + 1}`, text: '+ setting' });
        addSetting.addEventListener('click', () => {
          const key = [...['init', 'opt', 'lr', 'batch', 'seed'], ...RUN_KEYS].find((k) => !overrides.some(([o]) => o === k));
          overrides.push([key, page.state[key]]);
          commitRuns();
        });
        const remove = el('button', { type: 'button', 'aria-label': `Remove run ${i + 1}`, text: '×' });
        remove.disabled = list.length <= 2;
        remove.addEventListener('click', () => { list.splice(i, 1); commitRuns(); });
        const swatch = el('span', { class: 'swatch' });
        swatch.style.background = seriesColor(i);
        const head = el('div', { class: 'run' }, [swatch, el('strong', { text: runLabel(overrides, i) }), addSetting, remove]);
        return el('div', { class: 'run-block' }, [head, el('div', { class: 'run-settings' }, settings)]);
      });
      $('runs-editor').replaceChildren(...rows);
      $('add-run').disabled = list.length >= MAX_RUNS;
    },
  };
}
