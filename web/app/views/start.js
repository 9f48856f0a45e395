// start.js: the "start here" cards a newcomer sees when the page opens without an address: one
// card per lesson (its topic and one line), clicking one opens that lesson. They fold away once
// training starts or a lesson is chosen.
import { el } from '../dom.js';
import { LESSONS } from '../lessons.js';

const $ = (id) => document.getElementById(id);
const KIND = { compare: 'runs side by side', race: 'optimiser race', train: 'one run' };

/** A lesson's card words: the title before its colon as the topic, the rest (or what it shows) as the line. */
export function cardWords(lesson) {
  const at = lesson.title.indexOf(':');
  const mode = new URLSearchParams(lesson.params).get('mode') ?? 'train';
  return at > 0 ? { topic: lesson.title.slice(0, at), line: lesson.title.slice(at + 1).trim(), kind: KIND[mode] }
    : { topic: lesson.title, line: '', kind: KIND[mode] };
}

/** The cards over `page` ({ startLesson(name), session }); shown only if `show`. */
export function createStart(page, show) {
  const box = $('start-here');
  const hide = () => { box.hidden = true; };
  $('start-cards').replaceChildren(...LESSONS.map((lesson) => {
    const { topic, line, kind } = cardWords(lesson);
    const card = el('button', { type: 'button', class: 'card', 'data-lesson': lesson.name }, [
      el('strong', { text: topic }), el('span', { text: line }), el('small', { text: kind }),
    ]);
    card.addEventListener('click', () => { hide(); page.startLesson(lesson.name); });
    return card;
  }));
  $('start-close').addEventListener('click', hide);
  box.hidden = !show;
  page.session.on('playing', ({ playing }) => { if (playing) hide(); });
  return { hide };
}
