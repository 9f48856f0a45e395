// frame.js: embed.html, the iframe form of the embed for sites that allow no scripts of their own.
//   <iframe src=".../embed.html?lesson=small-init&controls=init,play&autoplay&parent=https://lms.example"></iframe>
// The address becomes the attributes of one <gradlab-playground>; its events go to the parent
// window as messages ({ type: 'gradlab-step', step, loss, ... }), and the parent drives it with
// { type: 'gradlab-play' | 'gradlab-pause' | 'gradlab-reset' | 'gradlab-step-once' } and
// { type: 'gradlab-set', state: { lr: 0.5 } }. Commands are taken from the parent window only, and
// with `parent=` in the address only from the origins listed there, which alone receive the events.
import './gradlab-embed.js';
import { FRAME_COMMANDS, FRAME_EVENTS, frameAttributes, frameTargets, trustsOrigin } from './options.js';

const { attributes, parents, notes } = frameAttributes(location.search);
const element = document.createElement('gradlab-playground');
for (const [name, value] of attributes) element.setAttribute(name, value);
document.getElementById('lesson').append(element);
for (const note of notes) console.warn(`gradlab embed.html: ${note}`);

const embedded = window.parent !== window;
const parentOrigin = location.ancestorOrigins?.[0] ?? (document.referrer ? new URL(document.referrer).origin : null);
const targets = frameTargets(parents, parentOrigin);
if (embedded && targets.length === 0) console.warn(`gradlab embed.html: the page around this frame (${parentOrigin}) is not among parent=${parents.join(',')}; it gets no events and its commands are ignored`);

const toParent = (message) => { if (embedded) for (const target of targets) window.parent.postMessage(message, target); };
for (const type of FRAME_EVENTS) {
  element.addEventListener(type, (e) => toParent({ type, ...e.detail }));
}

window.addEventListener('message', (e) => {
  if (!embedded || e.source !== window.parent || !trustsOrigin(parents, e.origin)) return;
  const method = FRAME_COMMANDS[e.data?.type];
  if (!method) return;
  try {
    if (method === 'set') element.set(e.data.state ?? {});
    else element[method]();
  } catch (error) {
    toParent({ type: 'gradlab-error', message: String(error.message ?? error) });
  }
});
