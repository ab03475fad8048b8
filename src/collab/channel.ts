// The BroadcastChannel every tab of this origin shares for the draft (no server: the browser
// delivers to its other tabs and windows, offline too). Structured clone carries the bytes.
import type { Message } from './protocol';

export const DRAFT_CHANNEL_NAME = 'agentos-spec-draft';

export interface DraftChannel {
  post(message: Message): void;
  close(): void;
}

/** Opens the draft channel; undefined where BroadcastChannel does not exist (then tabs do not share). */
export function openDraftChannel(onMessage: (raw: unknown) => void): DraftChannel | undefined {
  if (typeof BroadcastChannel === 'undefined') return undefined;
  const channel = new BroadcastChannel(DRAFT_CHANNEL_NAME);
  channel.onmessage = (event: MessageEvent) => onMessage(event.data);
  return {
    post: (message) => channel.postMessage(message),
    close: () => channel.close(),
  };
}
