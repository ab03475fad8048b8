// The text CRDTs the concurrent harness (concurrent-replay.ts) runs: ours (TextDoc) and Yjs
// (Y.Text, V2 updates), each producing per transaction the delta its author would send.
import * as Y from 'yjs';
import { TextDoc, type TextDocOptions } from '../../src/crdt/index';
import type { ConcurrentPeer } from './concurrent-replay';
import type { Patch } from './trace';

export function agentosPeer(options: TextDocOptions = {}): ConcurrentPeer<TextDoc> {
  return {
    // replica ids: agent + 1 (any distinct ids do)
    create: (agent) => new TextDoc(agent + 1, options),
    receive: (doc, delta) => doc.applyDelta(delta),
    transact: (doc, patches) => {
      for (const [pos, del, text] of patches) {
        if (del) doc.delete(pos, del);
        if (text) doc.insert(pos, text);
      }
      return doc.takeChanges();
    },
    read: (doc) => doc.toString(),
  };
}

/** UTF-16 offset of code point `pos` in `text` (Y.Text counts UTF-16 units). */
function utf16Offset(text: string, pos: number): number {
  let units = 0;
  for (let cp = 0; cp < pos && units < text.length; cp++) {
    const unit = text.charCodeAt(units);
    units += unit >= 0xd800 && unit < 0xdc00 ? 2 : 1;
  }
  return units;
}

function applyToYText(text: Y.Text, patches: Patch[], astral: boolean): void {
  for (const [pos, del, insert] of patches) {
    if (!astral) {
      if (del) text.delete(pos, del);
      if (insert) text.insert(pos, insert);
      continue;
    }
    const current = text.toString();
    const at = utf16Offset(current, pos);
    if (del) text.delete(at, utf16Offset(current, pos + del) - at);
    if (insert) text.insert(at, insert);
  }
}

/**
 * Yjs, each transaction's delta = its 'updateV2' event. The listener is attached only around
 * local transactions, so Yjs does not encode updates it receives (the fastest use of it).
 * `astral`: the trace has characters outside the BMP (convert code-point positions).
 */
export function yjsPeer(astral = false): ConcurrentPeer<Y.Doc> {
  let last: Uint8Array | undefined;
  const listener = (update: Uint8Array) => { last = update; };
  return {
    create: (agent) => {
      const doc = new Y.Doc();
      doc.clientID = agent + 1;
      return doc;
    },
    receive: (doc, delta) => Y.applyUpdateV2(doc, delta),
    transact: (doc, patches) => {
      last = undefined;
      const text = doc.getText('t');
      doc.on('updateV2', listener);
      doc.transact(() => applyToYText(text, patches, astral));
      doc.off('updateV2', listener);
      return last ?? new Uint8Array(0);
    },
    read: (doc) => doc.getText('t').toString(),
  };
}
