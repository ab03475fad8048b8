// idb checks instanceof IDBRequest & co.: install fake-indexeddb's globals, then use fresh factories.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { openPersistence } from '../../src/persist/database';
import { PersistError } from '../../src/persist/errors';
import { BODIES_STORE, DB_NAME, DB_VERSION, bodyKey } from '../../src/persist/schema';
import { crc32 } from '../../src/persist/checksum';
import { RECORD_FORMAT } from '../../src/persist/record';

const fixedClock = () => 1_700_000_000_000;

function rawPut(factory: IDBFactory, store: string, record: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = factory.open(DB_NAME, DB_VERSION);
    open.onsuccess = () => {
      const tx = open.result.transaction(store, 'readwrite');
      tx.objectStore(store).put(record);
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  });
}

function rawGet(factory: IDBFactory, store: string, id: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const open = factory.open(DB_NAME, DB_VERSION);
    open.onsuccess = () => {
      const request = open.result.transaction(store).objectStore(store).get(id);
      request.onsuccess = () => { open.result.close(); resolve(request.result); };
      request.onerror = () => reject(request.error);
    };
  });
}

describe('persist: IndexedDB records', () => {
  it('saves and loads values in each store, and lists them', async () => {
    const factory = new IDBFactory();
    const db = await openPersistence({ factory, nowMs: fixedClock });
    await db.save('sessions', 'a', 'session', { spec: 'agentos: 1', seed: 42 });
    await db.save('checkpoints', 'c1', 'checkpoint', { cursor: 10 });
    expect(await db.load('sessions', 'a')).toEqual({ spec: 'agentos: 1', seed: 42 });
    expect(await db.load('checkpoints', 'c1')).toEqual({ cursor: 10 });
    expect(await db.load('sessions', 'missing')).toBeUndefined();
    expect(await db.list('sessions')).toEqual([{ id: 'a', kind: 'session', savedAtMs: fixedClock(), byteLength: JSON.stringify({ spec: 'agentos: 1', seed: 42 }).length }]);
    db.close();
  });

  it('refuses a corrupted record with a clear error, and touches nothing else', async () => {
    const factory = new IDBFactory();
    const db = await openPersistence({ factory, nowMs: fixedClock });
    await db.save('sessions', 'good', 'session', { spec: 'keep me' });
    await db.save('sessions', 'bad', 'session', { spec: 'flip a bit in me' });
    db.close();

    const stored = await rawGet(factory, 'sessions', 'bad');
    stored.body[3] ^= 0x01;
    await rawPut(factory, 'sessions', stored);

    const reopened = await openPersistence({ factory, nowMs: fixedClock });
    const failure = (await reopened.load('sessions', 'bad').catch((error: unknown) => error)) as PersistError;
    expect(failure).toBeInstanceOf(PersistError);
    expect(failure.code).toBe('corrupt');
    expect(failure.message).toMatch(/Stored record "bad" in sessions is corrupt: checksum 0x[0-9a-f]{8} does not match/);

    // The good record still loads, the corrupt one is still there byte for byte (not deleted or
    // "repaired"), and listing shows the corrupt one with its error instead of hiding it.
    expect(await reopened.load('sessions', 'good')).toEqual({ spec: 'keep me' });
    expect((await rawGet(factory, 'sessions', 'bad')).body).toEqual(stored.body);
    const listing = await reopened.list('sessions');
    expect(listing.map((row) => row.id)).toEqual(['bad', 'good']);
    expect('error' in listing[0] && listing[0].error.code).toBe('corrupt');
    reopened.close();
  });

  it('refuses a truncated record and one that is not an envelope at all', async () => {
    const factory = new IDBFactory();
    const db = await openPersistence({ factory, nowMs: fixedClock });
    await db.save('sessions', 'short', 'session', { spec: 'x'.repeat(100) });
    db.close();
    const stored = await rawGet(factory, 'sessions', 'short');
    stored.body = stored.body.slice(0, 10);
    await rawPut(factory, 'sessions', stored);
    await rawPut(factory, 'sessions', { id: 'junk', hello: 'world' });
    const reopened = await openPersistence({ factory, nowMs: fixedClock });
    await expect(reopened.load('sessions', 'short')).rejects.toThrow(/holds 10 bytes but was saved with 111 \(truncated\?\)/);
    await expect(reopened.load('sessions', 'junk')).rejects.toThrow(/"junk" in sessions is corrupt: its format version is missing/);
    reopened.close();
  });

  it('refuses a record written by a newer format, naming both versions', async () => {
    const factory = new IDBFactory();
    (await openPersistence({ factory })).close();
    await rawPut(factory, 'checkpoints', { id: 'future', format: RECORD_FORMAT + 1, kind: 'checkpoint', body: new Uint8Array(0), byteLength: 0, checksum: 0, savedAtMs: 0 });
    const db = await openPersistence({ factory });
    const failure = (await db.load('checkpoints', 'future').catch((error: unknown) => error)) as PersistError;
    expect(failure.code).toBe('too-new');
    expect(failure.message).toContain(`record format ${RECORD_FORMAT + 1}; this app reads up to ${RECORD_FORMAT}`);
    db.close();
  });

  it('refuses to open a database from a newer AgentOS and leaves it alone', async () => {
    const factory = new IDBFactory();
    await new Promise<void>((resolve) => {
      const open = factory.open(DB_NAME, DB_VERSION + 5);
      open.onupgradeneeded = () => open.result.createObjectStore('future-store');
      open.onsuccess = () => { open.result.close(); resolve(); };
    });
    const failure = (await openPersistence({ factory }).catch((error: unknown) => error)) as PersistError;
    expect(failure).toBeInstanceOf(PersistError);
    expect(failure.code).toBe('newer-database');
    expect(failure.message).toMatch(/written by a newer AgentOS/);
  });

  it('keeps bytes apart from their record: listing reads no body; a damaged or missing body is named on load', async () => {
    const factory = new IDBFactory();
    const db = await openPersistence({ factory, nowMs: fixedClock });
    const bytes = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff);
    await db.saveBytes('checkpoints', 'cp', 'checkpoint', bytes, 'key@12');
    await db.saveBytes('checkpoints', 'other', 'checkpoint', new Blob([bytes.slice(0, 10)])); // a File is a Blob
    expect(await db.load('checkpoints', 'other')).toEqual(bytes.slice(0, 10));
    expect(await db.load('checkpoints', 'cp')).toEqual(bytes);
    expect(await db.list('checkpoints')).toEqual([
      { id: 'cp', kind: 'checkpoint', savedAtMs: fixedClock(), byteLength: 3000, tag: 'key@12' },
      { id: 'other', kind: 'checkpoint', savedAtMs: fixedClock(), byteLength: 10 },
    ]);
    // The record holds no bytes; the body is a Blob in the bodies store.
    expect((await rawGet(factory, 'checkpoints', 'cp')).body).toBeUndefined();
    expect((await rawGet(factory, BODIES_STORE, bodyKey('checkpoints', 'cp'))).blob).toBeInstanceOf(Blob);
    db.close();

    const flipped = bytes.slice();
    flipped[100] ^= 1;
    await rawPut(factory, BODIES_STORE, { key: bodyKey('checkpoints', 'cp'), blob: new Blob([flipped]) });
    await rawPut(factory, BODIES_STORE, { key: bodyKey('checkpoints', 'other'), blob: new Blob([bytes.slice(0, 4)]) });
    const reopened = await openPersistence({ factory, nowMs: fixedClock });
    await expect(reopened.load('checkpoints', 'cp')).rejects.toThrow(/"cp" in checkpoints is corrupt: checksum 0x[0-9a-f]{8} does not match/);
    await expect(reopened.load('checkpoints', 'other')).rejects.toThrow(/holds 4 bytes but was saved with 10 \(truncated\?\)/);
    // Deleting removes the body with the record.
    await reopened.remove('checkpoints', 'cp');
    expect(await rawGet(factory, BODIES_STORE, bodyKey('checkpoints', 'cp'))).toBeUndefined();
    expect(await reopened.load('checkpoints', 'cp')).toBeUndefined();
    reopened.close();
  });

  it('upgrades a version 1 database: bytes bodies move out, everything still loads the same', async () => {
    const factory = new IDBFactory();
    const bytes = Uint8Array.from({ length: 500 }, (_, i) => (i * 13) & 0xff);
    const json = new TextEncoder().encode(JSON.stringify({ spec: 'old draft' }));
    await new Promise<void>((resolve, reject) => {
      const open = factory.open(DB_NAME, 1);
      open.onupgradeneeded = () => {
        for (const name of ['sessions', 'checkpoints']) open.result.createObjectStore(name, { keyPath: 'id' });
      };
      open.onsuccess = () => {
        const tx = open.result.transaction(['sessions', 'checkpoints'], 'readwrite');
        tx.objectStore('checkpoints').put({ id: 'old', format: 1, kind: 'checkpoint', savedAtMs: 5, byteLength: 500, checksum: crc32(bytes), encoding: 'bytes', body: bytes });
        tx.objectStore('sessions').put({ id: 'draft', format: 1, kind: 'draft', savedAtMs: 6, byteLength: json.length, checksum: crc32(json), encoding: 'json', body: json });
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
      open.onerror = () => reject(open.error);
    });
    const db = await openPersistence({ factory });
    expect(await db.load('checkpoints', 'old')).toEqual(bytes);
    expect(await db.load('sessions', 'draft')).toEqual({ spec: 'old draft' });
    expect(await db.list('checkpoints')).toEqual([{ id: 'old', kind: 'checkpoint', savedAtMs: 5, byteLength: 500 }]);
    db.close();
    const upgraded = await rawGet(factory, 'checkpoints', 'old');
    expect([upgraded.format, upgraded.encoding, upgraded.body]).toEqual([2, 'blob', undefined]);
  });
});
