// The headless CLI: `npm run agentos -- <command> ...`. Runs the same kernel as the worker, on the
// release core, and prints summaries (or one JSON object with --json).
import { autonomyReport, type AutonomyReport } from '../kernel/autonomy/report';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { loadCoreFromDisk } from '../core/node';
import { Kernel, SpecInvalidError, type RunSummary } from '../kernel/kernel';
import { encodeSessionLink, readSessionLink } from '../share/link';
import { readSessionText, SESSION_FILE_BYTES_MAX } from '../share/session-text';
import { formatTable } from './table';
import { formatShared, sharedSummary, type SharedSummary } from './shared';
import type { Session } from '../kernel/session';
import { ExprError } from '../expr/index';
import { expressionErrorText, finalWatches, firstHolds, invariantReports, ruleReports, whyLines, type InvariantReport } from './observe';
import { formatQueryError, formatResult, queryKernel } from './query';
import { audit, prove, proofText, ProveUsageError } from './audit';
import { parseJobs, parseShard, sweep, SweepError } from './sweep';
import { report, ReportError } from './report';
import { evolve, parseGenerations } from './evolve';
import { TrialLinesError } from '../lab/lines';
import { deadlockWords } from '../worker/deadlock-words';
import { stopWords } from '../ui/run-state';

const USAGE = `usage: npx agentos <command> [options]   (or: npm run agentos -- <command> ...)

  run <spec.yaml> [--events N] [--ticks T] [--seek K] [--json]
      run the spec until N events, T ticks of virtual time, or until nothing is left to do;
      --seek K then goes back to event K and adds its hash (seekHash); the summary lists
      every shared object's value on each node at the end (JSON: "shared")
  link <spec.yaml> [--events N] [--base URL]
      print a share link whose cursor is event N (base default http://localhost:4173/)
  replay <session.json | link | file holding a link> [--json]
      reproduce a shared session and print the same summary as run
  find <spec.yaml | link> "<expression>" [--events N]
      the first event #S at which the expression holds (false before it, true after it), or never
  why <spec.yaml | link> <seq> [--events N]
      the cause chain of event #seq, in words
  query <spec.yaml | session.json | link> "<SQL>" [--events N] [--json | --csv]
      run the spec to N events (a session or link: replay it to its cursor), then one KernelQL
      query over its tables (events, processes, channels, nodes, heap_blocks, shared, watches,
      decisions)
  prove <spec.yaml | link> --event K [--at N] [--events N] [--json]
      the RFC 9162 inclusion proof of event #K in the Merkle tree of the first N events (default:
      the cursor): {treeSize, root, leafIndex, leaf (canonical event bytes), path}
  prove <spec.yaml | link> --from M --to N [--events N] [--json]
      the consistency proof that the tree of M events is a prefix of the tree of N:
      {from, to, oldRoot, newRoot, proof}
  audit <spec.yaml | link> [--events N] [--html FILE] [--md | --json]
      the audit report at the cursor: the Merkle root, the rules (and invariants), every
      violation with its cause chain and inclusion proof; Markdown on stdout, HTML into FILE
  sweep <plan.yaml> [--jobs N|auto] [--shard i/n] [--out runs.jsonl] [--base URL]
      run an experiment's trials (variants x grid x seeds) and write one JSON line per trial,
      sorted by trial; --jobs runs N processes, --shard i/n the trials k with k mod n = i;
      neither changes a line. Progress on stderr
  report <runs.jsonl...> [--html report.html] [--md] [--plan plan.yaml] [--title T]
      statistics over trial lines (several files: shards of one sweep): per variant means with
      95% CIs and spread, variants compared, best configuration and Pareto front (with --plan,
      its objective); Markdown on stdout, a self-contained HTML file with --html
  evolve <plan.yaml> [--generations N] [--jobs N|auto] [--out hall.json] [--base URL]
      run an evolve plan (blue genomes against a growing suite of red fault schedules, seeded)
      for N generations (default: the plan's) and write its hall of fame as JSON: each
      generation's champion, the red tests it defeated and those that defeated it, each with
      the link that replays it; --jobs never changes a byte of it. Progress on stderr`;

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

/**
 * A session file's text, refused before reading when it is larger than any session can be
 * (and read with a bounded buffer, in case it grows between the check and the read).
 */
function readSessionFile(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const tooLarge = (bytes: string) => new UsageError(`${path} is ${bytes}: a session file is at most ${SESSION_FILE_BYTES_MAX} bytes (8 MiB), so it is not one`);
  if (size > SESSION_FILE_BYTES_MAX) throw tooLarge(`${size} bytes`);
  const buffer = Buffer.alloc(SESSION_FILE_BYTES_MAX + 1);
  const fd = openSync(path, 'r');
  let length = 0;
  try {
    for (let read = 1; read > 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
  } finally {
    closeSync(fd);
  }
  if (length > SESSION_FILE_BYTES_MAX) throw tooLarge('larger than that now');
  return buffer.toString('utf8', 0, length);
}

/** `replay`'s argument: a link, or a file holding a session as JSON or a link. */
async function readSessionArgument(target: string): Promise<{ session: Session; warning?: string }> {
  const isLink = /^https?:\/\//.test(target) || /^#?s\d{0,6}=/.test(target);
  return isLink ? readSessionLink(target) : readSessionText(readSessionFile(target), target);
}

type Printed = RunSummary & { deadlock?: string; seekHash?: string; seek?: number; invariants?: InvariantReport[]; rules?: (InvariantReport & { severity: string })[]; watches?: Record<string, number>; shared?: SharedSummary[]; autonomy?: AutonomyReport };

function print(summary: Printed, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(summary) + '\n');
    return;
  }
  console.log(`events ${summary.events}  ticks ${summary.ticks} (${(summary.ticks / 1000).toFixed(3)} ms virtual)  stopped: ${stopWords(summary)}`);
  console.log(`stateHash ${summary.stateHash}${summary.seekHash ? `  (at event ${summary.seek}: ${summary.seekHash})` : ''}`);
  console.log(formatTable(summary.agents.map((row) => ({ ...row }))));
  if (summary.shared?.length) console.log(['shared objects:', ...formatShared(summary.shared).map((line) => `  ${line}`)].join('\n'));
  for (const row of summary.invariants ?? []) {
    console.log(`invariant ${row.name}: ${row.violations === 0 ? 'held' : `violated ${row.violations} time${row.violations === 1 ? '' : 's'}, first at event #${row.firstViolatedAt}`}`);
  }
  for (const row of summary.rules ?? []) {
    console.log(`rule ${row.name} (${row.severity}): ${row.violations === 0 ? 'held' : `violated ${row.violations} time${row.violations === 1 ? '' : 's'}, first at event #${row.firstViolatedAt}`}`);
  }
  for (const [name, value] of Object.entries(summary.watches ?? {})) console.log(`watch ${name}: ${value}`);
  for (const row of summary.autonomy?.rows ?? []) console.log(`#${row.seq} ${(row.tick / 1000).toFixed(3)}ms ${row.kind}: ${row.text}`);
}

/**
 * run's and replay's summary, with the spec's invariants and watches when it has any, and at a
 * quiescent cursor the waits-for cycle it rests in (`deadlock`, in the status bar's words).
 */
function observed(kernel: Kernel, summary: RunSummary): Printed {
  const printed: Printed = summary;
  const deadlock = summary.stopped === 'quiescent' ? deadlockWords(kernel) : undefined;
  if (deadlock !== undefined) printed.deadlock = deadlock;
  if (kernel.spec.invariants.length > 0) printed.invariants = invariantReports(kernel);
  if (kernel.spec.rules.length > 0) printed.rules = ruleReports(kernel);
  if (kernel.spec.watches.length > 0) printed.watches = finalWatches(kernel);
  if (kernel.spec.autonomy) printed.autonomy = autonomyReport({ spec: kernel.spec, journal: kernel.machine.journal, state: kernel.machine.state, boot: kernel.ctx.boot }, kernel.cursor);
  return printed;
}

/** A kernel for a spec file (run to `events`), a link or a session file (replayed to its cursor, or to `events`). */
/**
 * A kernel for `find`, `why` and `query`: a spec file runs to `events` (default DEFAULT_EVENTS);
 * a link, a session file or a file holding a link replays to its cursor, then seeks back or runs
 * on to `events` if given.
 */
async function kernelFor(target: string, core: Awaited<ReturnType<typeof loadCoreFromDisk>>, events: number | undefined): Promise<Kernel> {
  const isLink = /^https?:\/\//.test(target) || /^#?s\d{0,6}=/.test(target);
  if (!isLink && /\.ya?ml$/i.test(target)) {
    const kernel = Kernel.fromText(readText(target), core);
    kernel.run({ events: events ?? DEFAULT_EVENTS });
    return kernel;
  }
  const { session, warning } = await readSessionArgument(target);
  if (warning) console.error(`warning: ${warning}`);
  const kernel = Kernel.fromSession(session, core, { source: isLink ? 'The link' : target });
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
  if (command === 'sweep') {
    if (!target || target.startsWith('--')) throw new UsageError('sweep needs a plan file (plan.yaml)');
    const shardText = option(args, '--shard');
    let shard;
    try {
      shard = shardText === undefined ? undefined : parseShard(shardText);
    } catch (error) {
      throw new UsageError(`--shard: ${(error as Error).message}`);
    }
    await sweep({ planPath: target, jobs: parseJobs(option(args, '--jobs')), shard, out: option(args, '--out'), base: option(args, '--base') }, () => loadCoreFromDisk('release'));
    return 0;
  }
  if (command === 'evolve') {
    if (!target || target.startsWith('--')) throw new UsageError('evolve needs a plan file (plan.evolve.yaml)');
    await evolve({ planPath: target, generations: parseGenerations(option(args, '--generations')), jobs: parseJobs(option(args, '--jobs')), out: option(args, '--out'), base: option(args, '--base') }, () => loadCoreFromDisk('release'));
    return 0;
  }
  if (command === 'report') {
    const files = [target, ...args].filter((arg, i, all) => arg !== undefined && !arg.startsWith('--') && !['--html', '--plan', '--title'].includes(all[i - 1]));
    report({ files: files as string[], html: option(args, '--html'), markdown: args.includes('--md'), plan: option(args, '--plan'), title: option(args, '--title') });
    return 0;
  }
  const core = await loadCoreFromDisk('release');
  switch (command) {
    case 'run': {
      if (!target) throw new UsageError('run needs a spec file');
      const kernel = Kernel.fromText(readText(target), core);
      const events = integerOption(args, '--events');
      const ticks = integerOption(args, '--ticks');
      const stopped = kernel.run({ events: events ?? (ticks === undefined ? DEFAULT_EVENTS : undefined), ticks });
      const summary: Printed = { ...observed(kernel, kernel.summary(stopped)), shared: sharedSummary(kernel) };
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
      const { session, warning } = await readSessionArgument(target);
      if (warning) console.error(`warning: ${warning}`);
      const isLink = /^https?:\/\//.test(target) || /^#?s\d{0,6}=/.test(target);
      const kernel = Kernel.fromSession(session, core, { source: isLink ? 'The link' : target });
      if (session.engine !== kernel.engine) {
        console.error(`warning: the session was recorded with engine "${session.engine}"; this is "${kernel.engine}", so the run may differ`);
      }
      print({ ...observed(kernel, kernel.summary('events')), shared: sharedSummary(kernel) }, json);
      return 0;
    }
    case 'find': {
      const text = args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--events');
      if (!target || text === undefined) throw new UsageError('find needs a spec file (or a link) and an expression in quotes');
      const kernel = await kernelFor(target, core, integerOption(args, '--events'));
      let found;
      try {
        found = firstHolds(kernel, text);
      } catch (error) {
        if (error instanceof ExprError) throw new UsageError(expressionErrorText(text, error));
        throw error;
      }
      if (json) process.stdout.write(JSON.stringify({ expression: text, seq: found.seq, tick: found.seq === null ? null : found.tick, events: kernel.machine.journal.length }) + '\n');
      else if (found.seq === null) console.log(`never: ${text} holds after none of the ${kernel.machine.journal.length} events`);
      else console.log(`first holds at event #${found.seq} (tick ${found.tick}): false before it, true after it`);
      return 0;
    }
    case 'why': {
      const seqText = args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--events');
      if (!target || seqText === undefined) throw new UsageError('why needs a spec file (or a link) and an event number');
      const seq = Number(seqText.replace(/^#/, ''));
      const kernel = await kernelFor(target, core, integerOption(args, '--events'));
      const length = kernel.machine.journal.length;
      if (!Number.isSafeInteger(seq) || seq < 0 || seq >= length) throw new UsageError(`no event ${seqText}: the run has events #0..#${length - 1}`);
      console.log(whyLines(kernel, seq).join('\n'));
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
    case 'prove': {
      if (!target) throw new UsageError('prove needs a spec file or a link');
      const options = { event: integerOption(args, '--event'), at: integerOption(args, '--at'), from: integerOption(args, '--from'), to: integerOption(args, '--to') };
      const kernel = await kernelFor(target, core, integerOption(args, '--events'));
      let proof: object;
      try {
        proof = prove(kernel, options);
      } catch (error) {
        if (error instanceof ProveUsageError) throw new UsageError(error.message);
        throw error;
      }
      console.log(json ? JSON.stringify(proof) : proofText(proof as Record<string, unknown>));
      return 0;
    }
    case 'audit': {
      if (!target) throw new UsageError('audit needs a spec file or a link');
      const kernel = await kernelFor(target, core, integerOption(args, '--events'));
      const html = option(args, '--html');
      const text = audit(kernel, { html, json });
      if (json || args.includes('--md') || !html) console.log(text);
      else console.log(`wrote ${html}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof SpecInvalidError || error instanceof SweepError || error instanceof ReportError || error instanceof TrialLinesError) console.error(error.message);
    else if (error instanceof UsageError) console.error(`agentos: ${error.message}`);
    else console.error(`agentos: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
