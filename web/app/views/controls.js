// controls.js: the page's settings panel: one field per state key (grouped as in index.html), the
// lesson menu, the mode buttons, speed, play / step / reset and the keyboard. Reads `page.state`,
// writes through `page.change(patch)`; the run controller does the rest.
import { el } from '../dom.js';
import { optimizerHyper } from '../config.js';
import { LABELS } from '../labels.js';
import { LESSONS } from '../lessons.js';
import { SLIDER_STEPS, sliderFromSpeed, speedFromSlider, speedText } from '../pace.js';
import { isImageData, paramInfo, readValue } from '../state.js';
import { allowed, fieldMessages, perRunNote, problemText } from './field-messages.js';
import { createLessonMenu } from './lesson-menu.js';

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

/** The option a shared menu shows while every compare run sets its own value. */
const PER_RUN = '~per-run';

function inputFor(p) {
  if (p.type === 'enum') {
    const select = el('select');
    for (const v of p.values) select.add(new Option(v, v));
    return select;
  }
  // text, not type=number: the page sees what was typed ('abc', '1e-9') and can say why it is refused
  return el('input', { type: 'text', inputmode: p.type === 'int' ? 'numeric' : 'decimal', autocomplete: 'off', spellcheck: 'false' });
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
      // the basic fields stay in view; the rest fold away in the group's "More …" (index.html)
      const more = fieldset.querySelector('.more');
      (BASIC.has(key) || !more ? fieldset.querySelector('.basic') ?? fieldset : more).append(label);
      const messages = fieldMessages(input, label);
      input.addEventListener('change', () => {
        const typed = input.value.trim(), read = readValue(p, typed);
        if (read.error) { refuse(key, problemText(typed, allowed(read.error), String(page.state[key]))); return; }
        label.classList.remove('invalid');
        messages.problem('');
        page.change({ [key]: read.value });
      });
      fields.set(key, { label, input, messages });
    }
  }
  /** Field `key` shows the value the run uses again, with `message` (why the other was not taken) beside it. */
  function refuse(key, message) {
    const field = fields.get(key);
    if (!field) return;
    field.label.classList.add('invalid');
    field.input.value = String(page.state[key] ?? '');
    field.messages.problem(message);
  }
  // the schedule preview sits right under the schedule picker
  fields.get('sched').label.after($('schedule-preview'));
  const lessonMenu = createLessonMenu($('lesson'), LESSONS, (name) => page.startLesson(name));
  for (const b of document.querySelectorAll('.modes button')) b.addEventListener('click', () => page.change({ mode: b.dataset.mode }));
  $('speed').min = '0';
  $('speed').max = String(SLIDER_STEPS);
  $('speed').addEventListener('input', () => {
    const speed = speedFromSlider(Number($('speed').value));
    $('speed-value').textContent = speedText(speed);
    $('speed').setAttribute('aria-valuetext', speedText(speed));
    page.change({ speed });
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
    const race = state?.mode === 'race', running = session.running;
    const label = running ? 'Pause (space)' : race ? 'Play the race' : 'Play (space)';
    $('play').textContent = running ? 'Pause' : race ? 'Play race' : state?.lesson ? 'Play lesson' : 'Play';
    $('play').setAttribute('aria-label', label);
  };

  return {
    updatePlay,
    /** Field `key` keeps the value in use and says why the new one (a reason from state.js) was not taken. */
    refuse(key, reason) {
      const field = fields.get(key);
      if (field) refuse(key, problemText(field.input.value.trim(), `not changed: ${reason}`, String(page.state[key])));
    },
    sync() {
      const state = page.state;
      for (const [key, { label, input, messages }] of fields) {
        label.classList.remove('invalid');
        label.hidden = SHOW_IF[key] ? !SHOW_IF[key](state) : false;
        // where every compare run sets its own value, the shared one is not used: the field says so
        const perRun = perRunNote(state, key);
        input.disabled = perRun.every;
        input.querySelector?.(`option[value="${CSS.escape(PER_RUN)}"]`)?.remove();
        if (perRun.every && input.tagName === 'SELECT') input.add(new Option('set per run', PER_RUN));
        input.value = perRun.every ? (input.tagName === 'SELECT' ? PER_RUN : '') : String(state[key] ?? '');
        input.placeholder = perRun.every ? 'set per run' : '';
        messages.problem('');
        messages.note(label.hidden ? '' : perRun.text);
      }
      lessonMenu.show(state.lesson);
      $('speed').value = String(sliderFromSpeed(state.speed));
      $('speed-value').textContent = speedText(state.speed);
      $('speed').setAttribute('aria-valuetext', speedText(state.speed));
      document.body.className = `mode-${state.mode}${isImageData(state.data) ? ' image-data' : ''}`;
      for (const b of document.querySelectorAll('.modes button')) b.setAttribute('aria-pressed', String(b.dataset.mode === state.mode));
      const lesson = LESSONS.find((l) => l.name === state.lesson);
      $('lesson-text').hidden = !lesson;
      if (lesson) { $('lesson-title').textContent = lesson.title; $('lesson-body').textContent = lesson.text; }
      updatePlay();
    },
  };
}
