// A counter that changes when the page's theme may have changed (the system preference, or a
// class / data attribute / style on <html> set by a theme toggle), so canvas and chart panels,
// which copy theme colours when they draw, know to draw again; and those colours, read once per
// theme. Reading a computed style makes the browser bring the whole page's style up to date on
// the spot: a canvas redrawn in the same update that changed many rows (the timeline strip at
// every progress report of a thousand-agent run) paid that recalculation inside its task, half of
// it (about 20 of 40 ms). Every theme colour is declared on :root (app.css).
class ThemeWatch {
  version = $state(0);
  #started = false;
  #colors = new Map<string, string>();
  #colorsVersion = -1;

  /** Starts watching on first use (in the browser only). */
  track(): number {
    if (!this.#started && typeof window !== 'undefined') {
      this.#started = true;
      const bump = () => this.version++;
      window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', bump);
      new MutationObserver(bump).observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] });
    }
    return this.version;
  }

  /**
   * A theme colour (a custom property on :root) for drawing on a canvas, which cannot use
   * var(--x) itself; `fallback` when the property is not set. Tracks the theme, so an effect
   * that draws with it draws again when the theme changes.
   */
  color(name: string, fallback = ''): string {
    const version = this.track();
    if (version !== this.#colorsVersion) {
      this.#colors.clear();
      this.#colorsVersion = version;
    }
    let value = this.#colors.get(name);
    if (value === undefined) {
      value = typeof document === 'undefined' ? '' : getComputedStyle(document.documentElement).getPropertyValue(name).trim();
      this.#colors.set(name, value);
    }
    return value || fallback;
  }
}

export const themeWatch = new ThemeWatch();
