// multiples.js: compare mode's small multiples, one card per run: its status, boundary (or sample
// grid and first-layer filters), histograms and the share of weights near zero.
import { seriesColor } from '../charts.js';
import { classSymbols } from '../config.js';
import { el } from '../dom.js';
import { drawBoundary, drawFilters, drawHistograms, drawSamples, filtersHeight, fitCanvas } from '../draw.js';
import { runStatus } from '../labels.js';
import { shownSnapshot } from '../session.js';
import { isImageData, runState } from '../state.js';
import { layerNames } from './single.js';

const $ = (id) => document.getElementById(id);

/** The cards over `page` ({ state, session, redraw() }); returns { build(), render() }. */
export function createMultiples(page) {
  const cards = new Map();   // run → its card's elements
  $('cards-hist-kind').addEventListener('change', () => { for (const r of page.session.runs) r.fresh = true; page.redraw(); });

  // A card is drawn in two parts, its picture and then its histograms, each from the snapshot shown
  // at the time (a recorded step while the scrubber is away from the present) and stamped with its
  // step: past the frame's deadline the second waits for the next frame, so that the first redraws
  // after Play, when this code is still cold, hold fewer pictures per frame.
  const cardParts = [(r, card) => {
    const s = shownSnapshot(r);
    if (r.built.image) {
      drawSamples(card.boundary, r.built, s.outputs, classSymbols(runState(page.state, r.overrides).data));
      const h = filtersHeight(200, s.conv?.filters.count ?? 8, false);
      if (card.filters.height !== h) card.filters.height = h;
      card.filters.hidden = !s.conv;
      drawFilters(card.filters, s.conv, false);
    } else drawBoundary(card.boundary, r.built, s.outputs);
    for (const c of [card.boundary, card.filters]) c.dataset.step = String(s.step);
  }, (r, card) => {
    const s = shownSnapshot(r);
    const names = layerNames(r.built, s.layers.length);
    drawHistograms(card.hist, r.scrubbed ? [s.layers.map((l) => l.hist)] : r.histHistory, $('cards-hist-kind').value, names);
    const weighted = s.layers.map((l, i) => [l, i]).filter(([, i]) => ['conv', 'dense'].includes(r.built.layers[i].type ?? 'dense'));
    card.sparse.textContent = `weights |w| < 0.001: ${weighted.map(([l, i]) => `${names[i]} ${Math.round(100 * l.nearZero)}%`).join(', ')}`;
    card.hist.dataset.step = String(s.step);
  }];

  return {
    build() {
      cards.clear();
      const box = $('multiples');
      if (page.state.mode !== 'compare') { box.replaceChildren(); return; }
      box.replaceChildren(...page.session.runs.map((r) => {
        const swatch = el('span', { class: 'swatch' });
        swatch.style.background = seriesColor(r.index);
        const image = isImageData(runState(page.state, r.overrides).data);
        const card = {
          status: el('div', { class: 'run-status' }),   // changes with every snapshot: not a live region (views/announce.js)
          boundary: el('canvas', { width: '200', height: image ? '184' : '200', 'aria-label': image ? `Test images and predictions of ${r.label}` : `Boundary of ${r.label}` }),
          filters: el('canvas', { width: '200', height: '40', 'aria-label': `First-layer filters of ${r.label}` }),
          hist: el('canvas', { width: '200', height: '100', 'aria-label': `Histograms of ${r.label}` }),
          sparse: el('div', { class: 'run-status' }),
          part: 0,   // the next of cardParts to draw
        };
        card.filters.hidden = !image;
        cards.set(r, card);
        const figure = el('figure', { class: 'multiple' }, [el('figcaption', {}, [swatch, el('span', { text: r.label })]), card.status, card.boundary,
          card.filters, card.hist, card.sparse]);
        // a card's boundary and histograms take the card's width (the sample grid keeps its cells)
        const again = () => { r.fresh = true; page.redraw(); };
        if (!image) fitCanvas(card.boundary, { aspect: 1, max: 340 }, again, figure);
        fitCanvas(card.hist, { height: 110, max: 340 }, again, figure);
        return figure;
      }));
    },
    /** Draws the cards with news; past `deadline` (performance.now() time) the rest wait: returns false then. */
    render(deadline = Infinity) {
      const runs = page.session.runs, lines = runs.map((r) => runStatus(r, page.state));
      let done = true;
      $('status').textContent = runs.map((r, i) => `${r.label}: ${lines[i].text}`).join('\n');
      $('status').classList.toggle('diverged', lines.some((l) => l.bad));
      runs.forEach((r, i) => {
        const card = cards.get(r);
        if (!card) return;
        card.status.textContent = r.scrubbed?.snapshot ? `showing step ${r.scrubbed.snapshot.step} · now ${lines[i].text}` : lines[i].text;
        card.status.classList.toggle('diverged', lines[i].bad);
        if (!r.built || !r.last || (!r.fresh && !card.part)) return;
        // news that comes while a card is half drawn makes it fresh again: drawn whole once more
        if (!card.part) r.fresh = false;
        while (card.part < cardParts.length) {
          if (performance.now() > deadline) { done = false; return; }   // drawn on by the next call
          cardParts[card.part++](r, card);
        }
        card.part = 0;
      });
      return done;
    },
  };
}
