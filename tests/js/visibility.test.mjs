// PlayGate (web/app/visibility.js) with a fake document, observer and session: what it pauses, what it
// plays again, and that a session still loading does not autoplay behind a closed gate.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NEAR_MARGIN, PlayGate } from '../../web/app/visibility.js';

function fakes() {
  const doc = new EventTarget();
  doc.visibilityState = 'visible';
  const observers = [];
  class Observer { constructor(fn, options) { this.fn = fn; this.options = options; observers.push(this); } observe(el) { this.el = el; } }
  const session = {
    autoplay: true, autoplayRace: false, running: false, calls: [],
    play() { this.calls.push('play'); this.running = true; }, pause() { this.calls.push('pause'); this.running = false; },
  };
  const tab = (state) => { doc.visibilityState = state; doc.dispatchEvent(new Event('visibilitychange')); };
  const screen = (near) => observers[0].fn([{ isIntersecting: near }]);
  return { doc, Observer, observers, session, tab, screen };
}

describe('PlayGate', () => {
  it('the page: a hidden tab pauses a playing session and the return plays it again', () => {
    const f = fakes();
    f.session.autoplay = false;
    new PlayGate({ doc: f.doc }).attach(f.session);
    f.session.running = true;
    f.tab('hidden');
    f.tab('visible');
    assert.deepEqual(f.session.calls, ['pause', 'play']);
  });

  it('a paused session stays paused when the tab comes back', () => {
    const f = fakes();
    f.session.autoplay = false;
    new PlayGate({ doc: f.doc }).attach(f.session);
    f.tab('hidden'); f.tab('visible');
    assert.deepEqual(f.session.calls, []);
  });

  it('an element: far until the observer says near; an autoplay session is held, then played', () => {
    const f = fakes(), element = {};
    const gate = new PlayGate({ element, doc: f.doc, Observer: f.Observer });
    assert.equal(f.observers[0].el, element);
    assert.equal(f.observers[0].options.rootMargin, NEAR_MARGIN);
    gate.attach(f.session);
    assert.equal(f.session.autoplay, false, 'a loading session would autoplay off-screen');
    f.screen(true);
    assert.equal(f.session.autoplay, true);
    assert.deepEqual(f.session.calls, ['play']);
    f.screen(false);
    f.tab('hidden');
    f.screen(true);   // near again, but the tab is hidden
    assert.deepEqual(f.session.calls, ['play', 'pause']);
    f.tab('visible');
    assert.deepEqual(f.session.calls, ['play', 'pause', 'play']);
  });
});
