// controls.js: the page's settings panel: one field per state key (grouped as in index.html), the
// lesson menu, the mode buttons, speed, play / step / reset and the keyboard. Reads `page.state`,
// writes through `page.change(patch)`; the run controller does the rest.
import { el } from '../dom.js';
import { optimizerHyper } from '../config.js';
import { LABELS } from '../labels.js';
import { LESSONS } from '../lessons.js';
import { isImageData, paramInfo, readValue } from '../state.js';

const $ = (id) => document.getElementById(id);

const SHOW_IF = {
  classes: (s) => s.data === 'spiral' || s.data === 'blobs',
  size: (s) => isImageData(s.data),
  initStd: (s) => s.init === 'normal' || s.layers.includes('_inormal'),
  momentum: (s) => optimizerHyper(s.opt).includes('momentum'),
  beta1: (s) => optimizerHyper(s.opt).includes('beta1'),
  beta2: (s) => optimizerHyper(s.opt).includes('beta2'),
  alpha: (s) => optimizerHyper(s.opt).includes('alpha'),
  stepSize: (s) => ['step', 'exponential', 'inverse-time', 'cyclic'].includes(s.sched),
  gamma: (s) => ['step', 'exponential'].includes(s.sched),
  period: (s) => s.sched === 'sgdr',
  mult: (s) => s.sched === 'sgdr',
  decaySteps: (s) => s.sched === 'cosine',
  minLr: (s) => s.sched === 'cosine' || s.sched === 'sgdr',
  maxLr: (s) => s.sched === 'cyclic',
  dropoutMode: (s) => s.layers.includes('_d'),
};
/** The fields a newcomer needs; the others of a group are under its "More …". */
const BASIC = new Set(['data', 'noise', 'init', 'opt', 'lr', 'batch']);
const GROUPS = {
  'fs-data': ['data', 'classes', 'size', 'samples', 'noise', 'test', 'seed', 'dataSeed'],
  'fs-network': ['loss', 'dropoutMode'],
  'fs-training': ['init', 'initStd', 'opt', 'lr', 'momentum', 'beta1', 'beta2', 'alpha', 'sched', 'stepSize', 'gamma', 'period',
    'mult', 'decaySteps', 'minLr', 'maxLr', 'warmup', 'l1', 'l2', 'wd', 'clip', 'batch'],
  'fs-race': ['surface', 'raceLr', 'raceNoise', 'raceSteps'],
};

function inputFor(p) {
  if (p.type === 'enum') {
    const select = el('select');
    for (const v of p.values) select.add(new Option(v, v));
    return select;
  }
  return el('input', { type: 'number', step: 'any', min: String(p.min), max: String(p.max), inputmode: 'decimal' });
}

/**
 * Builds the panel. `page` gives { state, session, change(patch), startLesson(name), play(), step(), reset() }.
 * Returns { sync(), refuse(key, reason), updatePlay() }.
 */
export function createControls(page) {
  const fields = new Map();
  for (const [group, keys] of Object.entries(GROUPS)) {
    const fieldset = $(group);
    for (const key of keys) {
      const p = paramInfo(key);
      const input = inputFor(p);
      input.id = `in-${key}`;
      const label = el('label', { class: 'field', for: input.id }, [el('span', { text: LABELS[key] ?? key }), input]);
      input.addEventListener('change', () => {
        const read = readValue(p, input.value.trim());
        label.classList.toggle('invalid', Boolean(read.error));
        if (read.error) { input.title = read.error; return; }
        input.title = '';
        page.change({ [key]: read.value });
      });
      fields.set(key, { label, input });
      // the basic fields stay in view; the rest fold away in the group's "More …" (index.html)
      const more = fieldset.querySelector('.more');
      (BASIC.has(key) || !more ? fieldset.querySelector('.basic') ?? fieldset : more).append(label);
    }
  }
  // the schedule preview sits right under the schedule picker
  fields.get('sched').label.after($('schedule-preview'));
  $('lesson').add(new Option('— pick a lesson —', ''));
  for (const l of LESSONS) $('lesson').add(new Option(l.title, l.name));
  $('lesson').addEventListener('change', () => page.startLesson($('lesson').value));
  for (const b of document.querySelectorAll('.modes button')) b.addEventListener('click', () => page.change({ mode: b.dataset.mode }));
  $('speed').addEventListener('input', () => {
    $('speed-value').textContent = $('speed').value;
    page.change({ speed: Number($('speed').value) });
  });
  $('play').addEventListener('click', page.play);
  $('step').addEventListener('click', page.step);
  $('reset').addEventListener('click', page.reset);
  $('regenerate').addEventListener('click', () => page.change({ dataSeed: 1 + Math.floor(Math.random() * 4294967294) }));
  document.addEventListener('keydown', (e) => {
    const tag = e.target.tagName;
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(tag) || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === ' ' && tag !== 'BUTTON') { e.preventDefault(); page.play(); }
    if (e.key === 'ArrowRight') { e.preventDefault(); page.step(); }
  });

  const updatePlay = () => {
    const { state, session } = page;
    const label = state?.mode === 'race' ? 'Play the race again' : session.playing ? 'Pause (space)' : 'Play (space)';
    $('play').textContent = state?.mode === 'race' ? 'Play race' : session.playing ? 'Pause' : 'Play';
    $('play').setAttribute('aria-label', label);
  };

  return {
    updatePlay,
    /** Marks field `key` as refused, with the reason as its title. */
    refuse(key, reason) {
      const field = fields.get(key);
      if (field) { field.label.classList.add('invalid'); field.input.title = reason; }
    },
    sync() {
      const state = page.state;
      for (const [key, { label, input }] of fields) {
        input.value = String(state[key] ?? '');
        label.classList.remove('invalid');
        label.hidden = SHOW_IF[key] ? !SHOW_IF[key](state) : false;
      }
      $('lesson').value = state.lesson;
      $('speed').value = String(state.speed);
      $('speed-value').textContent = String(state.speed);
      document.body.className = `mode-${state.mode}${isImageData(state.data) ? ' image-data' : ''}`;
      for (const b of document.querySelectorAll('.modes button')) b.setAttribute('aria-pressed', String(b.dataset.mode === state.mode));
      const lesson = LESSONS.find((l) => l.name === state.lesson);
      $('lesson-text').hidden = !lesson;
      if (lesson) { $('lesson-title').textContent = lesson.title; $('lesson-body').textContent = lesson.text; }
      updatePlay();
    },
  };
}
