// Small DOM helpers shared by the demo pages (app.js, builder.js). User data
// only ever goes in through text nodes or attribute values, never as HTML.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** `el('p', { class: 'x' }, 'text', child)`: an element with attributes and
 * children. `dataset` sets data attributes, `text` the text, `on<event>` a
 * listener; `true` sets an empty attribute, and `false`, `null` or
 * `undefined` leave it out. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Says in `status` that the WebAssembly build could not be loaded (`error`
 * goes to the console). */
export function showEngineMissing(status, error) {
  status.classList.add('error');
  status.textContent =
    'The rules engine could not be loaded. Build it first: run scripts/demo from the repository ' +
    '(it builds bindings/js and serves this page).';
  console.warn(error);
}
