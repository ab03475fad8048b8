// Opening an example, from the gallery, the palette or the welcome list: its text goes into the
// editor (asking first if that would replace unsaved edits) and into the kernel.
import type { SpecDraft } from './draft.svelte';
import type { KernelClient } from './kernel-client.svelte';
import type { ExampleEntry } from './editor/examples';
import { speedText } from './run-speed';

/**
 * Offers `text` to the draft and, once it is in the editor, loads it (and runs it if asked).
 * `onmessage` hears what happened, for the place that opened it to show.
 */
export function openExample(
  draft: SpecDraft,
  client: KernelClient,
  text: string,
  entry: ExampleEntry,
  options: { run?: boolean; onmessage?: (message: string) => void; onloaded?: () => void } = {},
): Promise<void> {
  const tell = options.onmessage ?? (() => {});
  return draft.offer(text, entry.title, async () => {
    if (client.phase !== 'ready') return tell(`${entry.title} is in the editor; press Load once the kernel is ready.`);
    if (client.busy) return tell(`${entry.title} is in the editor; pause the current run, then press Load.`);
    if (!(await client.load(text))) return tell(`${entry.title} has errors; see below.`);
    options.onloaded?.();
    if (options.run) {
      // At the pace it is best watched at, paused where its story has been told (the user can
      // change Speed or press Run again to go on).
      const view = entry.view;
      if (view) client.speed = view.speed;
      tell(`${entry.title} loaded and running${view ? ` at ${speedText(view.speed)}${view.stop ? `, pausing at event ${view.stop.toLocaleString('en')}` : ''}` : ''}.`);
      await client.run(view?.stop);
    } else tell(`${entry.title} loaded: press Run.`);
  });
}
