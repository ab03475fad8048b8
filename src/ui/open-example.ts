// Opening an example, from the gallery, the palette or the welcome list: its text goes into the
// editor (asking first if that would replace unsaved edits) and into the kernel.
import type { SpecDraft } from './draft.svelte';
import type { KernelClient } from './kernel-client.svelte';
import type { ExampleEntry } from './editor/examples';

/**
 * Offers `text` to the draft and, once it is in the editor, loads it (and runs it if asked).
 * `onmessage` hears what happened, for the place that opened it to show.
 */
export function openExample(
  draft: SpecDraft,
  client: KernelClient,
  text: string,
  entry: ExampleEntry,
  options: { run?: boolean; onmessage?: (message: string) => void } = {},
): Promise<void> {
  const tell = options.onmessage ?? (() => {});
  return draft.offer(text, entry.title, async () => {
    if (client.phase !== 'ready') return tell(`${entry.title} is in the editor; press Load once the kernel is ready.`);
    if (client.busy) return tell(`${entry.title} is in the editor; pause the current run, then press Load.`);
    if (!(await client.load(text))) return tell(`${entry.title} has errors; see below.`);
    if (options.run) {
      tell(`${entry.title} loaded and running.`);
      await client.run();
    } else tell(`${entry.title} loaded: press Run.`);
  });
}
