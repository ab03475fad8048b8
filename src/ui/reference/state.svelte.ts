// Whether the spec Reference is open, its search, and where Insert puts an example: the spec
// editor registers itself while it is on screen (null when the Spec column is folded away).
export type SnippetInserter = (text: string) => void;

export class SpecReferenceState {
  open = $state(false);
  query = $state('');
  inserter = $state.raw<SnippetInserter | null>(null);

  show(query = ''): void {
    this.query = query;
    this.open = true;
  }

  close(): void {
    this.open = false;
  }

  /** Puts `text` in the editor (when one is on screen) and closes the Reference. */
  insert(text: string): boolean {
    const inserter = this.inserter;
    if (inserter === null) return false;
    this.open = false;
    inserter(text);
    return true;
  }
}

/** One per page: the editor toolbar, the command palette and the dialog share it. */
export const specReference = new SpecReferenceState();
