// stats.js: what the page's worker and the CLI's lesson runner measure beyond a snapshot's layer
// reports (web/lib/snapshot.js, which also owns how many training rows those are taken over).

/** The predictions kept for SAMPLES test images (image data sets). */
export const SAMPLES = 30;
