// The headless CLI: `npm run agentos -- <command> ...`. Runs the same kernel as the worker, on the
// release core, and prints summaries (or one JSON object with --json).
import { readFileSync } from 'node:fs';
import { loadCoreFromDisk } from '../core/node';
import { Kernel, SpecInvalidError, type RunSummary } from '../kernel/kernel';
import { validateSession, type Session } from '../kernel/session';
import { decodeSessionLink, encodeSessionLink } from '../share/link';
import { formatTable } from './table';
import { formatQueryError, formatResult, queryKernel } from './query';

const USAGE = `usage: npm run agentos -- <command> [options]

  run <spec.yaml> [--events N] [--ticks T] [--seek K] [--json]
      run the spec until N events, T ticks of virtual time, or until nothing is left to do;
      --seek K then goes back to event K and adds its hash (seekHash)
  link <spec.yaml> [--events N] [--base URL]
      print a share link whose cursor is event N (base default http://localhost:4173/)
  replay <session.json | link> [--json]
      reproduce a shared session and print the same summary as run
  query <spec.yaml | session.json | link> "<SQL>" [--events N] [--json | --csv]
      run the spec to N events (a session or link: replay it to its cursor), then one KernelQL
      query over its tables (events, processes, channels, nodes, heap_blocks, shared, watches)`;

const DEFAULT_EVENTS = 1_000_000;

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return value;
}

function integerOption(args: string[], name: string): number | undefined {
  const text = option(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`${name} expects a whole number, got "${text}"`);
  return value;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function print(summary: RunSummary & { seekHash?: string; seek?: number }, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(summary) + '\n');
    return;
  }
  console.log(`events ${summary.events}  ticks ${summary.ticks} (${(summary.ticks / 1000).toFixed(3)} ms virtual)  stopped: ${summary.stopped}`);
  console.log(`stateHash ${summary.stateHash}${summary.seekHash ? `  (at event ${summary.seek}: ${summary.seekHash})` : ''}`);
  console.log(formatTable(summary.agents.map((row) => ({ ...row }))));
}

/** A kernel for a spec file (run to `events`), a link or a session file (replayed to its cursor, or to `events`). */
async function kernelFor(target: string, core: Awaited<ReturnType<typeof loadCoreFromDisk>>, events: number | undefined): Promise<Kernel> {
  const isLink = target.includes('#') || /^https?:/.test(target);
  if (!isLink && !target.endsWith('.json')) {
    const kernel = Kernel.fromText(readText(target), core);
    kernel.run({ events: events ?? DEFAULT_EVENTS });
    return kernel;
  }
  const session: Session = isLink ? await decodeSessionLink(target) : validateSession(JSON.parse(readText(target)), target);
  const kernel = Kernel.fromSession(session, core);
  if (events !== undefined) {
    if (events < kernel.cursor) kernel.seek(events);
    else kernel.run({ events });
  }
  return kernel;
}

async function main(argv: string[]): Promise<number> {
  const [command, target, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const args = rest;
  const json = args.includes('--json');
  const core = await loadCoreFromDisk('release');
  switch (command) {
    case 'run': {
      if (!target) throw new UsageError('run needs a spec file');
      const kernel = Kernel.fromText(readText(target), core);
      const events = integerOption(args, '--events');
      const ticks = integerOption(args, '--ticks');
      const stopped = kernel.run({ events: events ?? (ticks === undefined ? DEFAULT_EVENTS : undefined), ticks });
      const summary: RunSummary & { seekHash?: string; seek?: number } = kernel.summary(stopped);
      const seek = integerOption(args, '--seek');
      if (seek !== undefined) {
        if (seek > kernel.cursor) throw new UsageError(`--seek ${seek} is past the end of the run (${kernel.cursor} events)`);
        kernel.seek(seek);
        summary.seek = seek;
        summary.seekHash = kernel.stateHash();
      }
      print(summary, json);
      return 0;
    }
    case 'link': {
      if (!target) throw new UsageError('link needs a spec file');
      const kernel = Kernel.fromText(readText(target), core);
      kernel.run({ events: integerOption(args, '--events') ?? DEFAULT_EVENTS });
      console.log(await encodeSessionLink(kernel.toSession(), option(args, '--base') ?? 'http://localhost:4173/'));
      return 0;
    }
    case 'replay': {
      if (!target) throw new UsageError('replay needs a session file or a link');
      const session: Session = target.includes('#') || /^https?:/.test(target)
        ? await decodeSessionLink(target)
        : validateSession(JSON.parse(readText(target)), target);
      const kernel = Kernel.fromSession(session, core);
      if (session.engine !== kernel.engine) {
        console.error(`warning: the session was recorded with engine "${session.engine}"; this is "${kernel.engine}", so the run may differ`);
      }
      print(kernel.summary(kernel.cursor === session.cursor ? 'events' : 'quiescent'), json);
      return 0;
    }
    case 'query': {
      const sql = args[0];
      if (!target || sql === undefined || sql.startsWith('--')) throw new UsageError('query needs a spec, session file or link, then the SQL in quotes');
      const kernel = await kernelFor(target, core, integerOption(args, '--events'));
      const outcome = await queryKernel(kernel, sql);
      if (!outcome.ok) {
        console.error(formatQueryError(sql, outcome.error));
        return 1;
      }
      process.stdout.write(formatResult(outcome.text, args.includes('--csv') ? 'csv' : json ? 'json' : 'table') + '\n');
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof SpecInvalidError) console.error(error.message);
    else if (error instanceof UsageError) console.error(`agentos: ${error.message}`);
    else console.error(`agentos: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
