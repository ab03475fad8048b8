// Which URL fragments hold a session: apart from link.ts so the page can ask without loading the
// decoder (which the worker runs).

/** True if a URL fragment ("#s2=...", or the older "#s=...") holds a session. */
export function isSessionFragment(hash: string): boolean {
  return /^#?s\d{0,6}=/.test(hash);
}
