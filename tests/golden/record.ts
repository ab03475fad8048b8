// Records a golden file for the current engine from an existing one (same spec, seed,
// interventions and cursor): `npx tsx tests/golden/record.ts <old.session.json> <new.session.json>`.
// Use it only when a new engine version changes a run on purpose; list the old file in
// SUPERSEDED (golden.test.ts) with the reason. Never overwrite an existing file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Kernel } from '../../src/kernel/kernel';
import { validateSession } from '../../src/kernel/session';
import { crc32, hex32 } from '../../src/persist/checksum';
import { loadDebugCore } from '../helpers/core';

const [from, to] = process.argv.slice(2);
if (!from || !to) throw new Error('usage: record.ts <old.session.json> <new.session.json>');
if (existsSync(to)) throw new Error(`${to} exists: golden files are never overwritten`);
const old = validateSession(JSON.parse(readFileSync(from, 'utf8')).session, from);
const core = await loadDebugCore();
const kernel = Kernel.fromSession(old, core);
const session = { ...kernel.toSession(), cursor: old.cursor };
const expect = { events: kernel.cursor, tick: kernel.tick, journalCrc32: hex32(crc32(kernel.machine.journal.encode())), stateHash: kernel.stateHash() };
writeFileSync(to, JSON.stringify({ session, expect }, null, 2) + '\n');
console.log(`${to}: ${session.engine}, ${JSON.stringify(expect)}`);
