// palette.js: the page's two palettes, one owner for every view and the run controller. Pure.

/**
 * Classes (boundary colours, points, right/wrong marks): Okabe and Ito's palette, told apart by
 * people with the common colour-vision deficiencies.
 */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];
export const RGB = PALETTE.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));

/**
 * Runs, layers and racers: Paul Tol's "muted" qualitative scheme (also colour-blind safe), so a
 * run's or a layer's line is never mistaken for a class. Layer l and run k are SERIES[l] / SERIES[k]
 * in every view.
 */
export const SERIES = ['#332288', '#CC6677', '#117733', '#DDCC77', '#88CCEE', '#882255', '#44AA99', '#999933', '#AA4499'];
export const seriesColor = (k) => SERIES[k % SERIES.length];
