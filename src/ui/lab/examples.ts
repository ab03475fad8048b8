// The example experiment plans (public/examples/*.experiment.yaml, listed in
// public/examples/experiments.json) and the spec files a plan names: a path beside the plan
// (`priority-starvation.yaml`, as `agentos sweep` reads it in the repository). Only .yaml files
// under the app's examples/ are read: a plan cannot make the page fetch anything else.

/** Where the example plans are (a plan's spec paths resolve from here). */
export const EXPERIMENTS_DIR = new URL('examples/', globalThis.document?.baseURI ?? 'http://localhost/');
/** Entries of the index read at most. */
export const EXPERIMENT_EXAMPLES_MAX = 64;

export interface ExperimentExample {
  readonly file: string;
  readonly title: string;
  readonly description: string;
}

export async function loadExperimentExamples(): Promise<ExperimentExample[]> {
  const response = await fetch(new URL('experiments.json', EXPERIMENTS_DIR));
  if (!response.ok) throw new Error(`examples/experiments.json: HTTP ${response.status}`);
  const entries: unknown = await response.json();
  if (!Array.isArray(entries)) throw new Error('examples/experiments.json: expected a list');
  return entries.slice(0, EXPERIMENT_EXAMPLES_MAX).filter((entry): entry is ExperimentExample =>
    typeof entry === 'object' && entry !== null && typeof entry.file === 'string' && typeof entry.title === 'string' && typeof entry.description === 'string');
}

/** Where a plan's `spec:` path points, or undefined if it would leave examples/ or is not a .yaml file. */
export function exampleSpecUrl(path: string, from: URL = EXPERIMENTS_DIR): URL | undefined {
  const examples = from;
  let url: URL;
  try {
    url = new URL(path, from);
  } catch {
    return undefined;
  }
  if (url.origin !== examples.origin || !url.pathname.startsWith(examples.pathname) || !url.pathname.endsWith('.yaml') || url.search || url.hash) return undefined;
  return url;
}

/** Reads a spec file a plan names, from the app's examples (an Error names the path otherwise). */
export async function readExampleSpec(path: string): Promise<string> {
  const url = exampleSpecUrl(path);
  if (!url) throw new Error(`"${path}" is not an example spec: in the browser a plan can name the examples (like priority-starvation.yaml), an inline spec (spec: |) or a link`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`"${path}" was not found among the examples (HTTP ${response.status})`);
  // A server that answers unknown paths with the app itself (vite preview, a single-page host)
  // sends 200 and HTML: that is not a spec, and read as YAML it gave three baffling errors.
  if (/^text\/html\b/i.test(response.headers.get('content-type') ?? '')) throw new Error(`"${path}" was not found among the examples`);
  return response.text();
}
