// Build plugin: let CodeMirror's style-mod use a constructable stylesheet on the document.
// style-mod picks `adoptedStyleSheets` only for shadow roots (`!root.head && ...`) and otherwise
// writes a <style> element, which the production CSP (`style-src 'self'`) blocks: the editor would
// be unstyled and every mount would report a violation. Constructable stylesheets are CSSOM, which
// CSP allows. Browsers without them still get the <style> fallback (and the violation).
import type { Plugin } from 'vite';

const GUARD = '!root.head && root.adoptedStyleSheets && win.CSSStyleSheet';
const PATCHED = 'root.adoptedStyleSheets && win.CSSStyleSheet';

export function styleModAdoptedSheets(): Plugin {
  return {
    name: 'agentos-style-mod-adopted-sheets',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]style-mod[\\/]src[\\/]style-mod\.js$/.test(id)) return null;
      if (!code.includes(GUARD)) {
        this.error(`style-mod changed: "${GUARD}" not found in ${id}; the editor's styles would be blocked by the CSP`);
      }
      return { code: code.replace(GUARD, PATCHED), map: null };
    },
  };
}
