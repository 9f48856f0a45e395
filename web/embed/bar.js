// bar.js: the embed's bar of controls: the buttons and the settings `controls="..."` names, each
// field read with the page's own table (state.js) and labelled with the shared words (labels.js). A
// value the element cannot use is refused as on the page: the field shows the value in use again and
// the page's message (field-messages.js) under it names the allowed range.
import { el } from '../app/dom.js';
import { allowed, fieldMessages, problemText } from '../app/views/field-messages.js';
import { SHORT_LABELS } from '../app/labels.js';
import { SLIDER_STEPS, sliderFromSpeed, speedFromSlider, speedText } from '../app/pace.js';
import { OWN_DATA, paramInfo, readValue } from '../app/state.js';

function fieldInput(p) {
  if (p.type === 'enum') {
    const select = el('select');
    // your own CSV rows are the page's (an element cannot be given them): not offered
    for (const v of p.values) if (!(p.name === 'data' && v === OWN_DATA)) select.add(new Option(v || '(none)', v));
    return select;
  }
  // text, not type=number (as on the page): the element sees what was typed ('abc') and can say why it is refused
  if (p.type === 'int' || p.type === 'float') return el('input', { type: 'text', class: 'number', inputmode: p.type === 'int' ? 'numeric' : 'decimal', autocomplete: 'off', spellcheck: 'false' });
  return el('input', { type: 'text', spellcheck: 'false', autocomplete: 'off' });
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
    const messages = fieldMessages(input);
    /** The field shows the value in use again, and says why `typed` was not taken. */
    const refuse = (typed, reason) => {
      const kept = String(host.state()[key] ?? '');
      label.classList.add('invalid');
      input.value = kept;
      messages.problem(problemText(typed, reason, kept === '' ? 'empty' : kept));
    };
    input.addEventListener('change', () => {
      const typed = input.value.trim(), read = readValue(p, typed);
      if (read.error) { refuse(typed, allowed(read.error)); return; }
      try {
        host.set({ [key]: read.value });
      } catch (error) {
        refuse(typed, `not changed: ${String(error.message).replace(/^gradlab-playground: /, '')}`);
        return;
      }
      label.classList.remove('invalid');
      messages.problem('');
    });
    fields.set(key, { input, label, messages });
    // the message sits under its field: the two are one item of the bar
    bar.append(el('div', { class: 'field-box' }, [label, ...messages.nodes]));
  }
  bar.hidden = bar.childElementCount === 0;
  made.sync = (state) => {
    for (const [key, { input, label, messages }] of fields) {
      input.value = String(state[key] ?? '');
      label.classList.remove('invalid');
      messages.problem('');
    }
    if (made.speed) {
      made.speed.value = String(sliderFromSpeed(state.speed));
      made.speed.setAttribute('aria-valuetext', speedText(state.speed));
      made.speedText.textContent = speedText(state.speed);
    }
  };
  return made;
}
