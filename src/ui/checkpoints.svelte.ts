// Checkpoints the user keeps in this browser (IndexedDB) or as files: save, list, restore,
// delete, export, import; with the storage used and left. Bytes come from and go to the worker.
import { lazyPersistence } from './persistence';
import { afterNextPaint } from './frames';
import { PersistError } from '../persist/errors';
import { CHECKPOINT_FILE_EXTENSION } from '../persist/checkpoint';
import type { RecordSummary } from '../persist/record';
import type { CheckpointPlace, KernelClient } from './kernel-client.svelte';

export interface CheckpointRow {
  id: string;
  savedAtMs: number;
  byteLength: number;
  /** Where it was saved, for the timeline's markers (checkpoints saved before markers: none). */
  at?: CheckpointPlace;
  /** Why it cannot be restored (corrupt, too new), if so. */
  error?: string;
}

/** Largest checkpoint file the import accepts. */
export const CHECKPOINT_FILE_BYTES_MAX = 512 * 1024 * 1024;

export class CheckpointStore {
  rows = $state.raw<CheckpointRow[]>([]);
  usage = $state.raw<{ usedBytes: number; quotaBytes: number } | undefined>(undefined);
  message = $state<{ text: string; tone: 'info' | 'error' } | undefined>(undefined);

  readonly #open = lazyPersistence();

  constructor(private readonly client: KernelClient, private readonly onRestored: (specText: string) => void) {
    // "Saved checkpoint …" is news of the session it was said in: another session (a restore,
    // an opened trial or link, a load) takes it away, at the client's one reset place.
    client.onSessionReplaced(() => (this.message = undefined));
  }

  async refresh(): Promise<void> {
    try {
      const listing = await (await this.#open()).list('checkpoints');
      this.rows = listing
        .map((row) => ('error' in row ? { id: row.id, savedAtMs: 0, byteLength: 0, error: row.error.message } : toRow(row)))
        .sort((a, b) => b.savedAtMs - a.savedAtMs);
      await this.client.markCheckpoints(this.rows.flatMap((row) => (row.at ? [{ id: row.id, ...row.at }] : [])));
      const estimate = await navigator.storage?.estimate?.();
      if (estimate) this.usage = { usedBytes: estimate.usage ?? 0, quotaBytes: estimate.quota ?? 0 };
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Told after a checkpoint of the whole session was saved. */
  onSaved: (() => void) | undefined;

  /** Saves the session as a checkpoint; resolves whether it was saved. */
  async save(): Promise<boolean> {
    const checkpoint = await this.client.checkpointBytes();
    if (!checkpoint) return false;
    let saved = false;
    const id = `${checkpoint.name} @ event ${checkpoint.cursor} · ${new Date().toISOString().replace('T', ' ').slice(0, 19)}`;
    try {
      await (await this.#open()).saveBytes('checkpoints', id, 'checkpoint', checkpoint.bytes, placeTag({ runKey: checkpoint.runKey, seq: checkpoint.cursor }));
      this.message = { text: `Saved checkpoint "${id}" (${formatBytes(checkpoint.bytes.length)})`, tone: 'info' };
      saved = true;
      this.onSaved?.();
    } catch (error) {
      this.#fail(error);
    }
    await this.refresh();
    return saved;
  }

  async restore(id: string): Promise<void> {
    try {
      const bytes = await (await this.#open()).load<Uint8Array>('checkpoints', id);
      if (!bytes) throw new PersistError('not-found', `Checkpoint "${id}" is no longer stored.`);
      const spec = await this.client.restoreCheckpoint(bytes, `checkpoint "${id}"`);
      if (spec === undefined) return;
      await afterNextPaint();
      this.onRestored(spec);
    } catch (error) {
      this.#fail(error);
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await (await this.#open()).remove('checkpoints', id);
      this.message = { text: `Deleted checkpoint "${id}"`, tone: 'info' };
    } catch (error) {
      this.#fail(error);
    }
    await this.refresh();
  }

  /** Downloads a stored checkpoint as a file. */
  async exportFile(id: string): Promise<void> {
    try {
      const bytes = await (await this.#open()).load<Uint8Array>('checkpoints', id);
      if (!bytes) throw new PersistError('not-found', `Checkpoint "${id}" is no longer stored.`);
      const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${id.replace(/[^\w.-]+/g, '-')}${CHECKPOINT_FILE_EXTENSION}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Restores a checkpoint file and keeps it in the browser too. A bad file changes nothing. */
  async importFile(file: File): Promise<void> {
    if (file.size > CHECKPOINT_FILE_BYTES_MAX) {
      this.message = { text: `${file.name} is ${formatBytes(file.size)}; checkpoint files are at most ${formatBytes(CHECKPOINT_FILE_BYTES_MAX)}.`, tone: 'error' };
      return;
    }
    if (this.client.busy) return;
    // The worker reads the file (by reference: its bytes never pass through the page).
    const spec = await this.client.restoreCheckpoint(file, `the file ${file.name}`);
    if (spec === undefined) return;
    // The editor takes the restored spec once the session's views are on screen (src/ui/frames.ts).
    await afterNextPaint();
    this.onRestored(spec);
    try {
      const place = await this.client.placeOfCursor();
      // Kept in the browser too: a Blob copy and its checksum, both made in the worker.
      const copy = await this.client.restoredFileCopy();
      if (copy) await (await this.#open()).saveBytes('checkpoints', `${file.name} (imported)`, 'checkpoint', copy.blob, place && placeTag(place), copy.checksum);
    } catch (error) {
      this.#fail(error);
    }
    await this.refresh();
  }

  #fail(error: unknown): void {
    this.message = { text: error instanceof Error ? error.message : String(error), tone: 'error' };
  }
}

/**
 * A checkpoint's id in two parts for the list: the name, which may be clipped, and what tells two
 * checkpoints of one run apart (the event, when it was saved), which must not be.
 * "priority-starvation @ event 53712 · 2026-12-07 09:14:03" -> { name: "priority-starvation",
 * where: "@ event 53712 · 09:14:03" } (the date too when not today); "swarm.agentos (imported)", seq
 * 1500000 -> { name: "swarm.agentos", where: "(imported) @ event 1500000" }.
 */
export function checkpointIdParts(id: string, seq?: number, today = new Date().toISOString().slice(0, 10)): { name: string; where: string } {
  const saved = /^(.*) @ event (\d{1,15}) · (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(id);
  if (saved) return { name: saved[1], where: `@ event ${saved[2]} · ${saved[3] === today ? '' : `${saved[3]} `}${saved[4]}` };
  // An imported file's name says nothing of its moment: the event it was restored at (its record's place).
  const imported = /^(.*) (\(imported\))$/.exec(id);
  if (imported) return { name: imported[1], where: seq === undefined ? imported[2] : `${imported[2]} @ event ${seq}` };
  return { name: id, where: '' };
}

function toRow(summary: RecordSummary): CheckpointRow {
  return { id: summary.id, savedAtMs: summary.savedAtMs, byteLength: summary.byteLength, at: summary.tag ? placeOf(summary.tag) : undefined };
}

/** A checkpoint's place as its record's tag: "<run key>@<seq>". */
export function placeTag(place: CheckpointPlace): string {
  return `${place.runKey}@${place.seq}`;
}

export function placeOf(tag: string): CheckpointPlace | undefined {
  const match = /^([0-9a-f]{16})@(\d{1,15})$/.exec(tag);
  return match ? { runKey: match[1], seq: Number(match[2]) } : undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
