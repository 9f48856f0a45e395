// layers-editor.js: the rows of the network's hidden layers (dense, conv, pool, flatten) and the
// buttons that add them. A change the data set can take goes to `page.change`; one it cannot is
// refused with the reason shown under the editor.
import { el } from '../dom.js';
import { INITS } from '../../lib/names.js';
import {
  HIDDEN_ACTIVATIONS, LAYER_NUMBERS, MAX_LAYERS, describeLayers, isImageData, isSpatial, layerShapes, layersProblem, layersText, parseLayers, readValue,
} from '../state.js';
import { allowed, fieldMessages, perRunNote, problemText } from './field-messages.js';

const $ = (id) => document.getElementById(id);

function selectOf(label, options, value, onChange) {
  const select = el('select', { 'aria-label': label });
  for (const [v, t] of options) select.add(new Option(t, String(v)));
  select.value = String(value);
  select.addEventListener('change', () => onChange(select.value));
  return select;
}

/**
 * A number of a layer (`kind`: units, filters or dropout, ranges from state.js). A value out of its
 * range is not taken: the field shows the layer's value again and `refused(message, input)` says why.
 */
function numberOf(label, kind, value, onChange, refused) {
  const p = LAYER_NUMBERS[kind];
  const input = el('input', { type: 'text', inputmode: p.type === 'int' ? 'numeric' : 'decimal', autocomplete: 'off', value: String(value), 'aria-label': label });
  input.addEventListener('change', () => {
    const typed = input.value.trim(), read = readValue(p, typed);
    if (!read.error) { onChange(read.value); return; }
    input.value = String(value);
    refused(problemText(typed, `${kind} ${allowed(read.error)}`, String(value)), input);
  });
  return input;
}

/** Shows why a change was not made ('' hides the note). */
export function showLayersProblem(problem) {
  $('layers-problem').hidden = !problem;
  $('layers-problem').textContent = problem ? `Not changed: ${problem}.` : '';
}

/** The editor over `page` ({ state, change(patch) }); returns { sync() }. */
export function createLayersEditor(page) {
  const note = el('p', { class: 'field-note hint', id: 'layers-note' });
  note.hidden = true;
  $('layers-editor').before(note);
  let rowMessages = [];
  /**
   * A layer change that the data set can take is applied; one it cannot is refused: the rows show the
   * layers in use again, with the reason beside row `at` (or under the editor).
   */
  const changeLayers = (layers, at = -1) => {
    const text = layersText(layers);
    const problem = layersProblem({ ...page.state, layers: text });
    if (!problem) { showLayersProblem(''); page.change({ layers: text }); return; }
    editor.sync();
    if (rowMessages[at]) rowMessages[at].problem(`Not changed: ${problem}.`); else showLayersProblem(problem);
  };
  $('add-layer').addEventListener('click', () => {
    const layers = parseLayers(page.state.layers);
    if (layers.length >= MAX_LAYERS) return;
    const lastDense = [...layers].reverse().find((l) => !l.type);
    layers.push({ ...(lastDense ?? { units: isImageData(page.state.data) ? 32 : 8, activation: 'relu', batchNorm: 'off', dropout: 0, init: '' }) });
    changeLayers(layers);
  });
  // conv and pool layers go after the last spatial layer, before any flatten or dense layer
  const addSpatial = (layer) => {
    const layers = parseLayers(page.state.layers);
    if (layers.length >= MAX_LAYERS) return;
    const at = layers.findIndex((l) => !isSpatial(l));
    const lastConv = [...layers].reverse().find((l) => l.type === 'conv');
    layers.splice(at < 0 ? layers.length : at, 0, layer.type === 'conv' && lastConv ? { ...lastConv } : layer);
    changeLayers(layers);
  };
  $('add-conv').addEventListener('click', () => addSpatial({ type: 'conv', filters: 8, kernel: 3, stride: 1, padding: 'same', activation: 'relu', batchNorm: 'off', dropout: 0, init: '' }));
  $('add-pool').addEventListener('click', () => addSpatial({ type: 'pool', mode: 'max' }));

  const row = (layers, layer, i, shapeText) => {
    const n = i + 1;
    const set = (patch) => { layers[i] = { ...layers[i], ...patch }; changeLayers(layers, i); };
    const refused = (message, input) => rowMessages[i].problem(message, input);
    const remove = el('button', { type: 'button', 'aria-label': `Remove layer ${n}`, text: '×' });
    remove.addEventListener('click', () => { layers.splice(i, 1); changeLayers(layers); });
    const number = el('span', { text: String(n) });
    if (layer.type === 'pool') {
      const mode = selectOf(`Layer ${n} pooling`, [['max', 'max pool 2×2'], ['average', 'average pool 2×2']], layer.mode, (v) => set({ mode: v }));
      return [el('div', { class: 'layer plain' }, [number, mode, el('span', { class: 'shape', text: shapeText(i) }), remove])];
    }
    if (layer.type === 'flatten') {
      return [el('div', { class: 'layer plain' }, [number, el('span', { class: 'kind', text: 'flatten' }), el('span', { class: 'shape', text: shapeText(i) }), remove])];
    }
    const conv = layer.type === 'conv';
    const size = conv
      ? numberOf(`Layer ${n} filters`, 'filters', layer.filters, (v) => set({ filters: v }), refused)
      : numberOf(`Layer ${n} units`, 'units', layer.units, (v) => set({ units: v }), refused);
    const act = selectOf(`Layer ${n} activation`, HIDDEN_ACTIVATIONS.map((a) => [a, a]), layer.activation, (v) => set({ activation: v }));
    const bn = selectOf(`Layer ${n} batch norm`, [['off', 'no BN'], ['before', 'BN'], ['after', 'BN after']], layer.batchNorm, (v) => set({ batchNorm: v }));
    const drop = numberOf(`Layer ${n} dropout`, 'dropout', layer.dropout, (v) => set({ dropout: Math.round(v * 1000) / 1000 }), refused);
    drop.title = 'dropout';
    const init = selectOf(`Layer ${n} initialisation`, [['', 'init: network-wide'], ...INITS.map((v) => [v, `init: ${v}`])], layer.init, (v) => set({ init: v }));
    // the engine leaves out the bias of a layer whose batch norm comes first; 'no bias' does so anywhere
    const biasDefault = layer.batchNorm === 'before' ? 'no bias (BN)' : 'bias';
    const bias = selectOf(`Layer ${n} bias`, [['', biasDefault], ['off', 'no bias']], layer.bias === false ? 'off' : '',
      (v) => set({ bias: v === 'off' ? false : undefined }));
    const main = el('div', { class: 'layer' }, [number, size, act, bn, drop, remove]);
    if (!conv) return [main, el('div', { class: 'layer-init' }, [el('span'), init, bias])];
    const kernel = selectOf(`Layer ${n} kernel`, [[3, '3×3'], [5, '5×5']], layer.kernel, (v) => set({ kernel: Number(v) }));
    const stride = selectOf(`Layer ${n} stride`, [[1, 'stride 1'], [2, 'stride 2']], layer.stride, (v) => set({ stride: Number(v) }));
    const padding = selectOf(`Layer ${n} padding`, [['same', 'same'], ['valid', 'valid']], layer.padding, (v) => set({ padding: v }));
    return [main, el('div', { class: 'layer-init conv-options' }, [el('span'), kernel, stride, padding, init, bias, el('span', { class: 'shape', text: `output ${shapeText(i)}` })])];
  };

  const editor = {
    sync() {
      const state = page.state, layers = parseLayers(state.layers);
      if (typeof layers === 'string') return;
      // where every compare run has layers of its own, the shared ones are not used: say so instead
      const perRun = perRunNote(state, 'layers', describeLayers);
      note.textContent = perRun.text;
      note.hidden = !perRun.text;
      const image = isImageData(state.data);
      const shapes = image ? layerShapes(layers, [state.size, state.size, 1]) : null;
      const shapeText = (i) => (Array.isArray(shapes) ? `→ ${shapes[i].join('×')}` : '');
      rowMessages = [];
      const rows = perRun.every ? [] : layers.flatMap((layer, i) => {
        const nodes = row(layers, layer, i, shapeText);
        rowMessages[i] = fieldMessages([...nodes.flatMap((r) => [...r.querySelectorAll('input, select')])]);
        return [...nodes, ...rowMessages[i].nodes];
      });
      const hint = image ? '#, filters or units, activation, batch norm, dropout; → output shape' : '#, units, activation, batch norm, dropout';
      $('layers-editor').replaceChildren(...(rows.length ? [el('p', { class: 'hint', text: hint })] : []), ...rows);
      const full = layers.length >= MAX_LAYERS;
      for (const id of ['add-layer', 'add-conv', 'add-pool']) { $(id).disabled = full || perRun.every; $(id).hidden = perRun.every; }
    },
  };
  return editor;
}
