// The shell's state, shared by the Shell panel and the command palette: the output log (the last
// SHELL_LOG_MAX entries) and the input history (the last SHELL_HISTORY_MAX lines).
import { getContext, setContext } from 'svelte';
import { execute, type CheckpointHost, type ShellHost } from './commands';

export const SHELL_LOG_MAX = 500;
export const SHELL_HISTORY_MAX = 200;

export interface LogEntry {
  id: number;
  kind: 'input' | 'output' | 'error';
  text: string;
}

export class ShellSession {
  log = $state.raw<LogEntry[]>([]);
  history = $state.raw<string[]>([]);
  running = $state(false);
  /** A line put in the Shell's input for the user to finish (the palette's "find …"), taken once. */
  offered = $state<string | undefined>(undefined);
  #nextId = 0;
  /** The input line of the command running now. */
  #current: LogEntry | undefined;

  constructor(private readonly host: ShellHost, private readonly checkpoints: CheckpointHost) {}

  /** Runs a line: echoes it, runs it, appends its answer. Lines typed while one runs wait for it. */
  async submit(line: string): Promise<void> {
    const trimmed = line.trim();
    if (trimmed === '') return;
    if (this.history[this.history.length - 1] !== trimmed) this.history = [...this.history, trimmed].slice(-SHELL_HISTORY_MAX);
    this.#append([{ kind: 'input', text: trimmed }]);
    this.#current = this.log[this.log.length - 1];
    this.running = true;
    try {
      const result = await execute(trimmed, this.host, this.checkpoints);
      if (result.clear) this.log = [];
      else this.#append(result.lines.map((text) => ({ kind: result.error ? 'error' : 'output', text })));
    } finally {
      this.running = false;
      this.#current = undefined;
    }
  }

  /**
   * Another session replaced the one the transcript spoke of (a load, a link, a checkpoint): its
   * answers go, except the line that is running now (a `restore` answers about the new session).
   * The input history stays: it is the user's, not the session's.
   */
  sessionReplaced(): void {
    this.log = this.#current ? [this.#current] : [];
  }

  /** Escape in the shell: cancels long work (a run, a restore, a find), as `pause` does. */
  cancelWork(): boolean {
    if (!this.host.busy) return false;
    void this.host.pause();
    return true;
  }

  #append(entries: Omit<LogEntry, 'id'>[]): void {
    const added = entries.map((entry) => ({ ...entry, id: this.#nextId++ }));
    this.log = [...this.log, ...added].slice(-SHELL_LOG_MAX);
  }
}

const SHELL_CONTEXT = Symbol('agentos.shell');

/** App provides the one ShellSession; the Shell panel (deep in the System tabs) takes it. */
export function setShellContext(shell: ShellSession): void {
  setContext(SHELL_CONTEXT, shell);
}

export function getShellContext(): ShellSession {
  const shell = getContext<ShellSession | undefined>(SHELL_CONTEXT);
  if (!shell) throw new Error('the Shell panel needs a ShellSession from App (setShellContext)');
  return shell;
}
