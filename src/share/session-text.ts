// A session given as text: a file may hold the Session as JSON (what `agentos replay` and the
// golden tests read) or a share link (what someone pasted into a file). Which one is decided by
// its first character, and every error names the source.
import { SessionFormatError, validateSession, type Session } from '../kernel/session';
import { LINK_JSON_BYTES_MAX, LinkError, readSessionLink } from './link';

/** Largest session file read: what a link may decompress to (a spec of at most 1 Mi characters, escaped). */
export const SESSION_FILE_BYTES_MAX = LINK_JSON_BYTES_MAX;

/** The Session in `text` (JSON or a link); `source` names it in errors ("run.session.json"). */
export async function readSessionText(text: string, source: string): Promise<{ session: Session; warning?: string }> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (error) {
      throw new SessionFormatError(`${source}: not valid JSON (${(error as Error).message})`);
    }
    return { session: validateSession(data, source) };
  }
  if (/^(https?:\/\/[^\s]*)?#?s\d{0,6}=/.test(trimmed) || /^https?:\/\//.test(trimmed)) {
    try {
      const { session, warning } = await readSessionLink(trimmed);
      return warning ? { session, warning } : { session };
    } catch (error) {
      if (error instanceof LinkError) throw new LinkError(`${source}: ${error.message}`);
      throw error;
    }
  }
  const start = JSON.stringify(trimmed.slice(0, 20));
  throw new SessionFormatError(`${source}: neither a session (JSON starting with "{") nor a share link (starting with "http" or "#s2="); it starts with ${start}`);
}
