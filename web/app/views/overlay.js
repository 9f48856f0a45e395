// overlay.js: compare mode's one histogram panel over every run: for a chosen layer and quantity
// (weights, activations or gradients), each run's histogram as an outline in the run's colour, as a
// share of the layer's values per bin on one common axis, so the runs' distributions can be read
// against each other. It draws what the other views draw (the scrubbed step while scrubbing).
import { seriesColor } from '../charts.js';
import { el } from '../dom.js';
import { drawAxes, fitCanvas, plotBox } from '../draw.js';
import { shownSnapshot } from '../session.js';
import { layerNames } from './single.js';

const $ = (id) => document.getElementById(id);

/**
 * Each run's histogram of `kind` in layer `layer` as outlines: [{ run, label, colour, step, min, max,
 * shares }] for the runs that have values there (a pool layer has no weights, a shorter network no such layer).
 */
export function overlayOutlines(runs, layer, kind) {
  return runs.flatMap((r) => {
    const s = shownSnapshot(r), h = s?.layers[layer]?.hist?.[kind];
    if (!h) return [];
    let total = 0;
    for (const c of h.counts) total += c;
    if (!(total > 0) || !Number.isFinite(h.min) || !Number.isFinite(h.max)) return [];
    return [{ run: r.index, label: r.label, colour: seriesColor(r.index), step: s.step, min: h.min, max: h.max, shares: Array.from(h.counts, (c) => c / total) }];
  });
}

/** Outlines as steps over a common value axis, with the axes named; draws nothing when there are none. */
export function drawOverlay(canvas, outlines, kind) {
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!outlines.length) return;
  let lo = Math.min(...outlines.map((o) => o.min)), hi = Math.max(...outlines.map((o) => o.max));
  if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
  const peak = Math.max(1e-9, ...outlines.flatMap((o) => o.shares)) * 1.3;   // room under the axis name at the top
  const box = plotBox(canvas), { left, top, width, height } = box;
  const toX = (v) => left + ((v - lo) / (hi - lo)) * width, toY = (v) => top + height - (v / peak) * height;
  ctx.save();
  ctx.beginPath(); ctx.rect(left, top, width, height); ctx.clip();
  outlines.forEach((o, k) => {
    const bw = (o.max - o.min) / o.shares.length;
    ctx.beginPath(); ctx.moveTo(toX(o.min), toY(0));
    o.shares.forEach((v, b) => { ctx.lineTo(toX(o.min + b * bw), toY(v)); ctx.lineTo(toX(o.min + (b + 1) * bw), toY(v)); });
    ctx.lineTo(toX(o.max), toY(0));
    ctx.globalAlpha = 0.07; ctx.fillStyle = o.colour; ctx.fill();
    // the later runs dashed, so outlines that coincide stay visible
    ctx.globalAlpha = 1; ctx.strokeStyle = o.colour; ctx.lineWidth = 2; ctx.setLineDash(k ? [6 + 2 * k, 3] : []); ctx.stroke();
  });
  ctx.restore();
  drawAxes(ctx, box, [lo, hi], [0, peak], kind === 'activations' ? 'activation' : kind === 'gradients' ? 'gradient' : 'weight', 'share');
}

/** The panel over `page` ({ state, session, redraw() }); returns { build(), render(), summary() }. */
export function createOverlay(page) {
  const canvas = $('overlay'), layerPick = $('overlay-layer'), kindPick = $('overlay-kind'), legend = $('overlay-legend');
  let outlines = [];
  fitCanvas(canvas, { height: 220, max: 640 }, page.redraw);
  layerPick.addEventListener('change', page.redraw);
  kindPick.addEventListener('change', page.redraw);

  /** The layer names of the run with the most layers (the menu offers every layer some run has). */
  const syncLayers = () => {
    const built = page.session.runs.map((r) => r.built).filter(Boolean);
    const widest = built.reduce((a, b) => (b.layers.length > (a?.layers.length ?? -1) ? b : a), null);
    const names = widest ? layerNames(widest, widest.layers.length) : [];
    if (layerPick.options.length === names.length && [...layerPick.options].every((o, i) => o.textContent === names[i])) return;
    const keep = Number(layerPick.value) || 0;
    layerPick.replaceChildren(...names.map((n, i) => el('option', { value: String(i), text: n })));
    layerPick.value = String(Math.min(keep, Math.max(0, names.length - 1)));
  };

  return {
    render() {
      if (page.state.mode !== 'compare') return;
      syncLayers();
      const layer = Number(layerPick.value) || 0, kind = kindPick.value, runs = page.session.runs;
      outlines = overlayOutlines(runs, layer, kind);
      drawOverlay(canvas, outlines, kind);
      canvas.dataset.outlines = String(outlines.length);
      canvas.dataset.step = outlines.map((o) => o.step).join(' ');
      legend.replaceChildren(...runs.map((r) => {
        const swatch = el('span', { class: 'swatch' });
        swatch.style.background = seriesColor(r.index);
        const drawn = outlines.some((o) => o.run === r.index);
        return el('li', {}, [swatch, el('span', { text: drawn ? r.label : `${r.label} (no ${kind} in ${layerPick.selectedOptions[0]?.textContent ?? 'this layer'})` })]);
      }));
    },
    /** The layer, the quantity and the outlines drawn (run, colour, step, bin shares). */
    summary: () => ({ layer: Number(layerPick.value) || 0, kind: kindPick.value, outlines: outlines.map((o) => ({ ...o })) }),
  };
}
