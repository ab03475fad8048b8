// The examples gallery's data: public/examples/index.json and the spec files it names, fetched
// from the app's own origin (the service worker precaches both, so this works offline).

import { parseExampleView, type ExampleView } from '../run-speed';

export interface ExampleEntry {
  file: string;
  title: string;
  description: string;
  /** The pace and stop it is best watched at (ui/run-speed.ts). */
  view?: ExampleView;
}

/** Example files are plain names in public/examples/; nothing else is fetched. */
const EXAMPLE_FILE = /^[a-z0-9][a-z0-9-]*\.yaml$/;

const examplesUrl = (name: string) => `${import.meta.env.BASE_URL}examples/${name}`;

async function fetchText(name: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(examplesUrl(name));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not fetch examples/${name}: ${reason} (offline, and not cached yet?)`);
  }
  if (!response.ok) throw new Error(`Could not fetch examples/${name}: HTTP ${response.status}`);
  return response.text();
}

export async function fetchExampleIndex(): Promise<ExampleEntry[]> {
  const text = await fetchText('index.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('examples/index.json is not valid JSON');
  }
  if (!Array.isArray(parsed)) throw new Error('examples/index.json is not a list');
  return parsed.map((entry, index) => {
    const { file, title, description, view } = (entry ?? {}) as Record<string, unknown>;
    if (typeof file !== 'string' || !EXAMPLE_FILE.test(file) || typeof title !== 'string') {
      throw new Error(`examples/index.json entry ${index + 1} needs a file (name.yaml) and a title`);
    }
    let parsedView: ExampleView | undefined;
    try {
      parsedView = parseExampleView(view);
    } catch (error) {
      throw new Error(`examples/index.json entry ${index + 1} (${file}): ${error instanceof Error ? error.message : String(error)}`);
    }
    return { file, title, description: typeof description === 'string' ? description : '', ...(parsedView ? { view: parsedView } : {}) };
  });
}

export async function fetchExample(file: string): Promise<string> {
  if (!EXAMPLE_FILE.test(file)) throw new Error(`Not an example file: ${file}`);
  return fetchText(file);
}
