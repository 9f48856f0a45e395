// moments.js: a lesson's moments on the page. When the run controller stops at one (session
// 'moment'), the panel the moment names is outlined and scrolled into view, and a callout at the
// foot of the window says what to notice there, with a button to go on. Playing, stepping past, or
// new runs put it away. Reads the lesson's own words (lessons.js); owns no state of the run.
import { el } from '../dom.js';
import { lessonNamed } from '../lessons.js';

/** The element a moment's `panel` id names, and the box to outline around it (its figure, if it has one). */
export function momentTarget(id, root = document) {
  const node = root.getElementById(id);
  return node ? node.closest('.panel') ?? node : null;
}

/** What the callout says at a stop: { where, text }. */
export function momentWords(lesson, { step, moment, end }) {
  const where = `Step ${step} of ${lesson.steps}`;
  if (moment) return { where, text: moment.text };
  return { where, text: end ? 'This is where the lesson\'s run ends. Play goes on training past it.' : '' };
}

/** The callout over `page` ({ state, session, play() }); returns { box, hide() }. */
export function createMoments(page) {
  const where = el('strong', { class: 'moment-where' });
  const text = el('p', { class: 'moment-text' });
  const go = el('button', { type: 'button', class: 'moment-go', text: 'Play to go on' });
  const box = el('aside', { id: 'moment', class: 'moment-callout', 'aria-label': 'Lesson moment' }, [where, text, go]);
  box.hidden = true;
  document.body.append(box);
  let outlined = null;

  const hide = () => {
    box.hidden = true;
    outlined?.classList.remove('moment-focus');
    outlined = null;
  };
  go.addEventListener('click', () => { hide(); page.play(); });

  page.session.on('moment', (stop) => {
    const lesson = lessonNamed(page.state.lesson);
    if (!lesson) return;
    hide();
    const words = momentWords(lesson, stop);
    where.textContent = words.where;
    text.textContent = words.text;
    box.hidden = false;
    box.dataset.step = String(stop.step);
    box.dataset.panel = stop.moment?.panel ?? '';
    const target = stop.moment && momentTarget(stop.moment.panel);
    if (!target || !target.getClientRects().length) return;
    outlined = target;
    target.classList.add('moment-focus');
    // the whole panel above the callout, or else its top near the top of the window
    const r = target.getBoundingClientRect(), room = innerHeight - box.offsetHeight - 12;
    if (r.top < 0 || r.bottom > room) {
      const top = r.height <= room ? scrollY + r.top - (room - r.height) / 2 : scrollY + r.top - 8;
      scrollTo({ top: Math.max(0, top), behavior: 'instant' });
    }
  });
  page.session.on('playing', ({ playing }) => { if (playing) hide(); });
  page.session.on('runs', hide);
  page.session.on('racestart', hide);
  return { box, hide };
}
