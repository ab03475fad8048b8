import { fileURLToPath } from 'node:url';

/**
 * The product's shared folder (`../shared/` beside the repo), where the real traces live in
 * `data/`. A checkout elsewhere (a git worktree) names it with AGENTOS_SHARED=/path/to/shared;
 * SHARED_DATA_DIR=/path/to/shared/data is read too, for the data folder alone.
 */
export function sharedDataDir(): string {
  if (process.env.AGENTOS_SHARED) return `${process.env.AGENTOS_SHARED.replace(/\/+$/, '')}/data`;
  if (process.env.SHARED_DATA_DIR) return process.env.SHARED_DATA_DIR.replace(/\/+$/, '');
  return fileURLToPath(new URL('../../../shared/data', import.meta.url));
}
