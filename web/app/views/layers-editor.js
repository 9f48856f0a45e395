// layers-editor.js: the rows of the network's hidden layers (dense, conv, pool, flatten) and the
// buttons that add them. A change the data set can take goes to `page.change`; one it cannot is
// refused with the reason shown under the editor.
import { el } from '../dom.js';
import { INITS } from '../../lib/names.js';
import {
  HIDDEN_ACTIVATIONS, MAX_FILTERS, MAX_LAYERS, MAX_UNITS, isImageData, isSpatial, layerShapes, layersProblem, layersText, parseLayers,
} from '../state.js';

const $ = (id) => document.getElementById(id);

function selectOf(label, options, value, onChange) {
  const select = el('select', { 'aria-label': label });
  for (const [v, t] of options) select.add(new Option(t, String(v)));
  select.value = String(value);
  select.addEventListener('change', () => onChange(select.value));
  return select;
}

function numberOf(label, min, max, step, value, ok, onChange) {
  const input = el('input', { type: 'number', min: String(min), max: String(max), step: String(step), value: String(value), 'aria-label': label });
  input.addEventListener('change', () => {
    const v = Number(input.value);
    if (ok(v)) onChange(v); else input.classList.add('invalid');
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
  /** A layer change that the data set can take is applied; one it cannot is refused with the reason shown. */
  const changeLayers = (layers) => {
    const text = layersText(layers);
    const problem = layersProblem({ ...page.state, layers: text });
    showLayersProblem(problem);
    if (!problem) page.change({ layers: text });
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
    const set = (patch) => { layers[i] = { ...layers[i], ...patch }; changeLayers(layers); };
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
      ? numberOf(`Layer ${n} filters`, 1, MAX_FILTERS, 1, layer.filters, (v) => Number.isInteger(v) && v >= 1 && v <= MAX_FILTERS, (v) => set({ filters: v }))
      : numberOf(`Layer ${n} units`, 1, MAX_UNITS, 1, layer.units, (v) => Number.isInteger(v) && v >= 1 && v <= MAX_UNITS, (v) => set({ units: v }));
    const act = selectOf(`Layer ${n} activation`, HIDDEN_ACTIVATIONS.map((a) => [a, a]), layer.activation, (v) => set({ activation: v }));
    const bn = selectOf(`Layer ${n} batch norm`, [['off', 'no BN'], ['before', 'BN'], ['after', 'BN after']], layer.batchNorm, (v) => set({ batchNorm: v }));
    const drop = numberOf(`Layer ${n} dropout`, 0, 0.9, 0.05, layer.dropout, (v) => v >= 0 && v <= 0.9, (v) => set({ dropout: Math.round(v * 1000) / 1000 }));
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

  return {
    sync() {
      const state = page.state, layers = parseLayers(state.layers);
      if (typeof layers === 'string') return;
      const image = isImageData(state.data);
      const shapes = image ? layerShapes(layers, [state.size, state.size, 1]) : null;
      const shapeText = (i) => (Array.isArray(shapes) ? `→ ${shapes[i].join('×')}` : '');
      const rows = layers.flatMap((layer, i) => row(layers, layer, i, shapeText));
      const hint = image ? '#, filters or units, activation, batch norm, dropout; → output shape' : '#, units, activation, batch norm, dropout';
      $('layers-editor').replaceChildren(el('p', { class: 'hint', text: hint }), ...rows);
      const full = layers.length >= MAX_LAYERS;
      for (const id of ['add-layer', 'add-conv', 'add-pool']) $(id).disabled = full;
    },
  };
}
