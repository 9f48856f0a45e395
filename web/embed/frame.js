// frame.js: embed.html, the iframe form of the embed for sites that allow no scripts of their own.
//   <iframe src=".../embed.html?lesson=small-init&controls=init,play&autoplay"></iframe>
// The address becomes the attributes of one <gradlab-playground>; its events go to the parent
// window as messages ({ type: 'gradlab-step', step, loss, ... }), and the parent drives it with
// { type: 'gradlab-play' | 'gradlab-pause' | 'gradlab-reset' | 'gradlab-step-once' } and
// { type: 'gradlab-set', state: { lr: 0.5 } }. Commands are taken from the parent window only.
import './gradlab-embed.js';
import { FRAME_COMMANDS, FRAME_EVENTS, frameAttributes } from './options.js';

const { attributes, notes } = frameAttributes(location.search);
const element = document.createElement('gradlab-playground');
for (const [name, value] of attributes) element.setAttribute(name, value);
document.getElementById('lesson').append(element);
for (const note of notes) console.warn(`gradlab embed.html: ${note}`);

const toParent = (message) => { if (window.parent !== window) window.parent.postMessage(message, '*'); };
for (const type of FRAME_EVENTS) {
  element.addEventListener(type, (e) => toParent({ type, ...e.detail }));
}

window.addEventListener('message', (e) => {
  if (e.source !== window.parent || window.parent === window) return;
  const method = FRAME_COMMANDS[e.data?.type];
  if (!method) return;
  try {
    if (method === 'set') element.set(e.data.state ?? {});
    else element[method]();
  } catch (error) {
    toParent({ type: 'gradlab-error', message: String(error.message ?? error) });
  }
});
