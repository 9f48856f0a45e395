// lesson-menu.js: the lesson menu in the header. Chromium fires `change` on every arrow key of a
// closed <select>, so moving through the menu from the keyboard would load each lesson passed over.
// A lesson loads when it is chosen: picked in the open list (or by a click), Enter, or leaving the
// menu on another lesson; the arrow keys (and typing a title's first letters) only move through it,
// and Escape goes back to the lesson on the page.
const MOVE_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);

/** The menu over `select`; `open(name)` loads a lesson ('' for none). Returns { show(name) } to show the page's lesson. */
export function createLessonMenu(select, lessons, open) {
  select.add(new Option('— pick a lesson —', ''));
  for (const l of lessons) select.add(new Option(l.title, l.name));
  let shown = select.value;   // the lesson on the page
  let moving = false;         // keys have moved the menu away from it, nothing chosen yet
  const choose = () => {
    moving = false;
    if (select.value !== shown) { shown = select.value; open(shown); }
  };
  select.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (MOVE_KEYS.has(e.key) || (e.key.length === 1 && e.key !== ' ')) moving = true;
    else if (e.key === 'Enter') { e.preventDefault(); choose(); }   // Enter takes the lesson shown (and opens no list)
    else if (e.key === 'Escape' && moving) { moving = false; select.value = shown; }
  });
  select.addEventListener('change', () => { if (!moving) choose(); });
  select.addEventListener('blur', () => { if (moving) choose(); });
  select.addEventListener('pointerdown', () => { moving = false; });
  return {
    show(name) {
      shown = name;
      if (!moving) select.value = name;
    },
  };
}
