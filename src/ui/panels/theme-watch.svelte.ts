// A counter that changes when the page's theme may have changed (the system preference, or a
// class / data attribute / style on <html> set by a theme toggle), so canvas and chart panels,
// which copy theme colours when they draw, know to draw again.
class ThemeWatch {
  version = $state(0);
  #started = false;

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
}

export const themeWatch = new ThemeWatch();
