// Opening an example, from the gallery, the palette or the welcome list: its text goes into the
// editor (asking first if that would replace unsaved edits) and into the kernel, and it runs at
// the pace it is best watched at (its declared speed; without one, the speed the user chose last).
// What it says about the run ("X loaded and running at …") is a notice that holds only while it
// is true: it goes when the run stops. The promise resolves once the run has started, not when it
// ends: the menu and the cards are free again while it goes on.
import type { SpecDraft } from './draft.svelte';
import type { KernelClient, Notice } from './kernel-client.svelte';
import type { ExampleEntry } from './editor/examples';
import { speedText } from './run-speed';

/** Offers `text` to the draft and, once it is in the editor, loads and starts running it. */
export function openExample(
  draft: SpecDraft,
  client: KernelClient,
  text: string,
  entry: ExampleEntry,
  options: { onloaded?: () => void } = {},
): Promise<void> {
  // The session's own work (branches, interventions) is asked about first: Cancel changes nothing, not even the editor.
  return client.mayReplace(entry.title).then((may) => (may ? offer(draft, client, text, entry, options) : undefined));
}

function offer(draft: SpecDraft, client: KernelClient, text: string, entry: ExampleEntry, options: { onloaded?: () => void }): Promise<void> {
  const tell = (text: string): Notice | undefined => {
    client.notice = { text, tone: 'info' };
    return client.notice; // the reactive proxy, to recognise it later
  };
  return draft.offer(text, entry.title, async () => {
    if (client.phase !== 'ready') return void tell(`${entry.title} is in the editor; press Load once the kernel is ready.`);
    // Another example (or the user's run) going on: it is paused, the chosen one replaces it.
    await client.stopRunning();
    if (client.busy) return void tell(`${entry.title} is in the editor; wait for the current work to finish (or cancel it), then press Load.`);
    if (!(await client.load(text))) return void tell(`${entry.title} has errors: they are listed under the editor.`);
    options.onloaded?.();
    // At the pace it is best watched at, paused where its story has been told (the user can
    // change Speed or press Run again to go on).
    const view = entry.view;
    if (view) client.useSpeedOf(view.speed);
    const running = client.run(view?.stop); // starting clears the notices of the state before
    const said = tell(`${entry.title} loaded and running at ${speedText(client.speed)}${view?.stop ? `, pausing at event ${view.stop.toLocaleString('en')}` : ''}.`);
    // "Running" is no longer true once it stops (a journal-full or kernel notice that replaced it stays).
    void running.then(() => {
      if (client.notice === said) client.notice = undefined;
    });
  });
}
