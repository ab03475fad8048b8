// The workbench's layout the user chose: how wide the Spec column is, or that it is folded away.
// A preference of this browser (localStorage), not part of any session.
const STORAGE_KEY = 'agentos.layout';
export const SPEC_WIDTH_MIN = 240;
export const SPEC_WIDTH_DEFAULT = 360;
/** The Spec column never takes more than this share of the window... */
const SPEC_SHARE_MAX = 0.6;
/** ...nor leaves the System column less than this (beside the Inspector and the gaps). */
const CENTER_MIN = 560;
/** The Inspector's width (Workbench.svelte: clamp(260px, 20vw, 360px)) and the grid's gaps and padding. */
const otherColumns = (windowWidth: number) => Math.min(360, Math.max(260, windowWidth * 0.2)) + 24;
/** Without a saved width: a quarter of the window, within these bounds. */
const SPEC_DEFAULT_SHARE = 0.25;
const SPEC_DEFAULT_MAX = 520;

/** The widest the Spec column may be in a window this wide. */
export function specWidthMax(windowWidth: number): number {
  return Math.max(SPEC_WIDTH_MIN, Math.min(windowWidth * SPEC_SHARE_MAX, windowWidth - otherColumns(windowWidth) - CENTER_MIN));
}

export class Layout {
  specWidth = $state(SPEC_WIDTH_DEFAULT);
  specFolded = $state(false);

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage,
    windowWidth: number | undefined = globalThis.innerWidth,
  ) {
    if (windowWidth) this.specWidth = Math.round(Math.min(specWidthMax(windowWidth), Math.max(SPEC_WIDTH_DEFAULT, Math.min(SPEC_DEFAULT_MAX, windowWidth * SPEC_DEFAULT_SHARE))));
    try {
      const saved = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null') as { specWidth?: unknown; specFolded?: unknown } | null;
      // The saved width, kept within what this window allows (a narrower window than it was saved in).
      if (typeof saved?.specWidth === 'number' && Number.isFinite(saved.specWidth)) {
        this.specWidth = Math.round(Math.max(SPEC_WIDTH_MIN, windowWidth ? Math.min(saved.specWidth, specWidthMax(windowWidth)) : saved.specWidth));
      }
      if (typeof saved?.specFolded === 'boolean') this.specFolded = saved.specFolded;
    } catch {
      // A damaged preference is not worth an error: the defaults apply.
    }
  }

  /** Sets the Spec column's width, kept between the minimum and a share of the window. */
  resizeSpec(width: number, windowWidth: number): void {
    this.specWidth = Math.round(Math.min(Math.max(SPEC_WIDTH_MIN, width), specWidthMax(windowWidth)));
    this.specFolded = false;
    this.#save();
  }

  foldSpec(folded: boolean): void {
    this.specFolded = folded;
    this.#save();
  }

  #save(): void {
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify({ specWidth: this.specWidth, specFolded: this.specFolded }));
    } catch {
      // Storage full or blocked: the layout still applies for this page.
    }
  }
}
