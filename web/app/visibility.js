// visibility.js: training runs only where someone can see it. A PlayGate pauses a Session (session.js)
// when the tab is hidden (document.visibilityState) and, for an element, when it is far off-screen
// (an IntersectionObserver with a margin of about one screen), and plays it again when both are back,
// if it was playing or was about to autoplay. No DOM of its own, so Node tests drive it with fakes.
//
//   new PlayGate().attach(session);                       // the page: the tab only
//   const gate = new PlayGate({ element }); gate.attach(session);   // an element: the tab and the screen
//
// The steps a worker owes are capped at a quarter second's worth (worker.js), so a resumed run carries on from
// where it stopped: no catch-up on the time it was hidden.

/** How far beyond the viewport an element still counts as near: one screen above and below. */
export const NEAR_MARGIN = '100% 0px';

export class PlayGate {
  #session = null;
  #resume = false;
  #autoplay = [false, false];
  #near;
  #shown;

  constructor({ element = null, doc = globalThis.document, Observer = globalThis.IntersectionObserver } = {}) {
    this.#shown = doc.visibilityState !== 'hidden';
    this.#near = !element;   // an element is far until the observer's first report
    doc.addEventListener('visibilitychange', () => { this.#shown = doc.visibilityState !== 'hidden'; this.#apply(); });
    if (element) {
      new Observer((entries) => { this.#near = entries[entries.length - 1].isIntersecting; this.#apply(); }, { rootMargin: NEAR_MARGIN }).observe(element);
    }
  }

  /** Whether the session may run now: the tab is shown and the element (if any) is near the screen. */
  get open() { return this.#near && this.#shown; }

  /** Puts `session` under the gate (the last attached one only) and returns it. */
  attach(session) {
    this.#session = session;
    this.#autoplay = [session.autoplay, session.autoplayRace];
    this.#resume = false;
    if (!this.open) this.#close();
    return session;
  }

  #close() {
    const s = this.#session;
    if (s.running || s.autoplay || s.autoplayRace) this.#resume = true;
    s.autoplay = s.autoplayRace = false;   // a session still loading must not start behind the gate
    if (s.running) s.pause();
  }

  #apply() {
    if (!this.#session) return;
    if (!this.open) this.#close();
    else if (this.#resume) {
      this.#resume = false;
      [this.#session.autoplay, this.#session.autoplayRace] = this.#autoplay;
      this.#session.play();   // does nothing before the runs are ready; autoplay then starts them
    }
  }
}
