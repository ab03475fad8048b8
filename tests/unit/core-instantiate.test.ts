// instantiateCore takes the core's bytes (Node, the CLI's children) or a fetch Response (the
// browser), and says plainly when neither gives a core. Bytes never touch the global Response: in
// Node its first touch loads undici, 37 ms of a sweep child's start.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { instantiateCore } from '../../src/core/core';
import { CoreLoadError } from '../../src/core/errors';
import { coreWasmPath } from '../../src/core/node';

describe('instantiateCore', () => {
  it('from bytes, a typed view of them, a Response (streamed or not) and a promise of one', async () => {
    const bytes = await readFile(coreWasmPath('release'));
    const wasm = { 'content-type': 'application/wasm' };
    const cores = await Promise.all([
      instantiateCore(bytes),
      instantiateCore(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
      instantiateCore(new Response(bytes, { headers: wasm })),
      instantiateCore(new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } })),
      instantiateCore(Promise.resolve(new Response(bytes, { headers: wasm }))),
    ]);
    for (const core of cores) expect(core.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('a failed fetch or bytes that are not the core are a CoreLoadError that says which', async () => {
    await expect(instantiateCore(new Response('not here', { status: 404 }))).rejects.toThrow(CoreLoadError);
    await expect(instantiateCore(new Response('not here', { status: 404 }))).rejects.toThrow(/HTTP 404/);
    await expect(instantiateCore(new Uint8Array([0, 1, 2, 3]))).rejects.toThrow(/could not be instantiated/);
  });

  it('bytes do not touch the global Response', async () => {
    const bytes = await readFile(coreWasmPath('release'));
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'Response')!;
    let touched = 0;
    Object.defineProperty(globalThis, 'Response', { configurable: true, get: () => { touched++; return descriptor.value ?? descriptor.get?.call(globalThis); } });
    try {
      await instantiateCore(bytes);
    } finally {
      Object.defineProperty(globalThis, 'Response', descriptor);
    }
    expect(touched).toBe(0);
  });
});
