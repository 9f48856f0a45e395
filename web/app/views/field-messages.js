// field-messages.js: the words beside a form field. A problem (role="alert") says why a value was
// not taken, what is allowed and what the run keeps; a note says that the runs set the value
// themselves. Both are tied to the field with aria-describedby. The allowed ranges come from the
// error texts of state.js (readValue, parseLayers): nothing here knows a limit.
import { el } from '../dom.js';
import { runsSetting } from '../state.js';

let made = 0;

/** What a refused value's message says: the text typed, why it is not used, the value kept. */
export function problemText(typed, reason, kept) {
  const what = typed === '' ? 'An empty value' : `'${typed.length > 24 ? `${typed.slice(0, 24)}…` : typed}'`;
  return `${what} is not used; ${reason}. It stays ${kept}.`;
}

/** A problem of one of the fields that share a message (a row of fields): named, so it says which. */
export const namedProblemText = (name, typed, reason, kept) => `${name}: ${problemText(typed, reason, kept)}`;

/** A range or list from readValue as the reason of a problem: 'allowed: a number from 0 to 1'. */
export const allowed = (error) => (error.startsWith('allowed') ? error : `allowed: ${error}`);

/**
 * Messages for `inputs` (one field, or the fields of one row), placed after `anchor` when it is in
 * the document (else the caller places `nodes`). Returns { nodes, problem(text), note(text), clear() };
 * an empty text hides that message.
 */
export function fieldMessages(inputs, anchor = null) {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const id = `msg-${++made}`;
  const problemBox = el('p', { class: 'field-problem', id: `${id}-problem`, role: 'alert' });
  const noteBox = el('p', { class: 'field-note hint', id: `${id}-note` });
  problemBox.hidden = noteBox.hidden = true;
  if (anchor?.parentNode) anchor.after(problemBox, noteBox);
  for (const input of list) input.setAttribute('aria-describedby', `${id}-problem ${id}-note`);
  const put = (box, text) => {
    if (box.textContent !== text) box.textContent = text;
    box.hidden = !text;
  };
  return {
    nodes: [problemBox, noteBox],
    problem(text, input = list[0]) {
      put(problemBox, text);
      for (const i of list) i.removeAttribute('aria-invalid');
      if (text) input.setAttribute('aria-invalid', 'true');
    },
    note(text) { put(noteBox, text); },
    clear() { this.problem(''); this.note(''); },
  };
}

/**
 * What a shared control says when compare runs set its value themselves: { every (all runs do, so
 * the shared value is not used), text ('' when no run does) }. `word` shows one value.
 */
export function perRunNote(state, key, word = String) {
  const { runs, own } = runsSetting(state, key);
  if (!own.length) return { every: false, text: '' };
  const each = own.map((o) => `${word(o.value)} (run ${o.run})`).join(', ');
  const every = own.length === runs;
  return { every, text: every ? `Set per run: ${each}.` : `Also set per run: ${each}; the other runs use this value.` };
}
