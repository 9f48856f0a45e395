// race-plan.js: an optimiser race from the page's state, written once for the page's worker, the
// embed's and the CLI's `gradlab lesson`: which racers run (parseRacers, each at its own learning
// rate or the shared one), from where, over which view, and the paths the engine gives them with what
// became of each (race-fate.js). Pure apart from the engine it is handed.
import { SURFACE_VIEWS } from '../lib/names.js';
import { racerFate } from './race-fate.js';
import { parseRacers } from './state.js';

/** Where the race starts: the state's point, else the surface's own start. */
export function raceStart(state) {
  const view = SURFACE_VIEWS[state.surface];
  return [state.raceX ?? view.start[0], state.raceY ?? view.start[1]];
}

/**
 * The race of a state: { surface, x, y, start, racers: [{ name, learningRate }], learningRate (the
 * shared one), steps, noise, seed, scalar }. Every racer's learningRate is the one it runs at.
 */
export function racePlan(state) {
  const view = SURFACE_VIEWS[state.surface];
  return {
    surface: state.surface, x: view.x, y: view.y, start: raceStart(state),
    racers: parseRacers(state.racers).map((r) => ({ name: r.name, learningRate: r.learningRate ?? state.raceLr })),
    learningRate: state.raceLr, steps: state.raceSteps, noise: state.raceNoise, seed: state.seed, scalar: state.build === 'scalar',
  };
}

/**
 * Every racer's path with `lab`: [{ name, learningRate, path, loss, diverged, steps, fate }], fate
 * as racerFate gives it over the plan's view (when it left the plot, when it diverged).
 */
export function racePaths(lab, plan) {
  return plan.racers.map(({ name, learningRate }) => {
    const rate = learningRate ?? plan.learningRate;
    const r = lab.optimize({ surface: plan.surface, start: plan.start, steps: plan.steps, noise: plan.noise, seed: plan.seed, optimizer: { name, learningRate: rate } });
    return { name, learningRate: rate, path: r.path, loss: r.loss, diverged: r.diverged, steps: r.steps, fate: racerFate(r, plan, plan.steps) };
  });
}
