// Tabs of one browser sharing a spec draft, in one process: each tab's posts are queued for every
// other tab (a structured clone, as BroadcastChannel delivers), and settle() delivers them in order.
import { CollabSession } from '../../src/collab/session';
import type { Message } from '../../src/collab/protocol';

export function collabTabs(compactItems: number, text = 'name: shared\n'): { open: (replicaId: number) => CollabSession; settle: () => void } {
  let ids = 0;
  const queue: { to: CollabSession; message: Message }[] = [];
  const all: CollabSession[] = [];
  const open = (replicaId: number) => {
    // eslint-disable-next-line prefer-const
    let tab: CollabSession | undefined;
    tab = new CollabSession(
      { replicaId, post: (message) => { for (const other of all) if (other !== tab) queue.push({ to: other, message: structuredClone(message) }); }, newGenerationId: () => (++ids).toString(16).padStart(16, '0'), compactItems },
      text,
    );
    all.push(tab);
    return tab;
  };
  const settle = () => { while (queue.length > 0) { const { to, message } = queue.shift()!; to.receive(message); } };
  return { open, settle };
}
