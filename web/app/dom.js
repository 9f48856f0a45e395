// dom.js: the one DOM helper the page and the embed share. Text goes in as text, never as markup.

/** An element with attributes ('text' sets its text, 'class' its class) and children. */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}
