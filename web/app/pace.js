// pace.js: the speed of training, in steps per second, and the slider that sets it, written once
// for the page and the embed. The slider is logarithmic, so that the slow paces of the lessons
// (15 to 100 steps a second) get as much of its length as the fast ones. Pure: no DOM.

/** Slowest and fastest pace the state table accepts (steps per second). */
export const SPEED_MIN = 1;
export const SPEED_MAX = 5000;
/** The slider's positions: 0 .. SLIDER_STEPS. */
export const SLIDER_STEPS = 200;

const span = Math.log(SPEED_MAX / SPEED_MIN);

/** Slider position → steps per second (whole numbers). */
export const speedFromSlider = (position) => Math.round(SPEED_MIN * Math.exp((Math.min(SLIDER_STEPS, Math.max(0, position)) / SLIDER_STEPS) * span));
/** Steps per second → the nearest slider position. */
export const sliderFromSpeed = (speed) => Math.round((Math.log(Math.max(SPEED_MIN, speed) / SPEED_MIN) / span) * SLIDER_STEPS);
/** The pace as the speed control shows it. */
export const speedText = (speed) => `${speed} steps/s`;
