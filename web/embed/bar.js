// bar.js: the embed's bar of controls: the buttons and the settings `controls="..."` names, each
// field read with the page's own table (state.js) and labelled with the shared words (labels.js).
import { el } from '../app/dom.js';
import { SHORT_LABELS } from '../app/labels.js';
import { SLIDER_STEPS, sliderFromSpeed, speedFromSlider, speedText } from '../app/pace.js';
import { paramInfo, readValue } from '../app/state.js';

function fieldInput(p) {
  if (p.type === 'enum') {
    const select = el('select');
    for (const v of p.values) select.add(new Option(v || '(none)', v));
    return select;
  }
  if (p.type === 'int' || p.type === 'float') return el('input', { type: 'number', step: 'any', min: String(p.min), max: String(p.max), inputmode: 'decimal' });
  return el('input', { type: 'text', spellcheck: 'false' });
}

/**
 * Fills `bar` with the buttons and fields of `controls` ({ keys, actions }). `host` gives the current
 * state (`state()`), applies a change (`set(patch)`, which may throw) and runs a button (`action(name)`).
 * Returns { play, step, speed, sync(state) }.
 */
export function buildBar(bar, controls, host) {
  const made = {}, fields = new Map();
  for (const action of controls.actions) {
    if (action === 'speed') {
      const range = el('input', { type: 'range', min: '0', max: String(SLIDER_STEPS), step: '1', 'aria-label': 'Speed in steps per second' });
      const shown = el('output', { class: 'speed-value' });
      range.addEventListener('input', () => {
        const speed = speedFromSlider(Number(range.value));
        shown.textContent = speedText(speed);
        host.set({ speed });
      });
      made.speed = range;
      made.speedText = shown;
      bar.append(el('label', { class: 'field speed' }, [el('span', { text: 'Speed' }), range, shown]));
      continue;
    }
    const button = el('button', { type: 'button', class: `action ${action}`, text: action[0].toUpperCase() + action.slice(1) });
    button.addEventListener('click', () => host.action(action));
    if (action === 'play' || action === 'step') made[action] = button;
    bar.append(button);
  }
  for (const key of controls.keys) {
    const p = paramInfo(key), input = fieldInput(p);
    const label = el('label', { class: 'field' }, [el('span', { text: SHORT_LABELS[key] ?? key }), input]);
    input.addEventListener('change', () => {
      const read = readValue(p, input.value.trim());
      label.classList.toggle('invalid', Boolean(read.error));
      input.title = read.error ?? '';
      if (!read.error) host.set({ [key]: read.value });
    });
    fields.set(key, input);
    bar.append(label);
  }
  bar.hidden = bar.childElementCount === 0;
  made.sync = (state) => {
    for (const [key, input] of fields) input.value = String(state[key] ?? '');
    if (made.speed) {
      made.speed.value = String(sliderFromSpeed(state.speed));
      made.speed.setAttribute('aria-valuetext', speedText(state.speed));
      made.speedText.textContent = speedText(state.speed);
    }
  };
  return made;
}
