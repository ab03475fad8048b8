// Light, dark, or the system's choice; kept in localStorage, applied as <html data-theme>.
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'agentos.theme';
const ORDER: ThemeChoice[] = ['system', 'light', 'dark'];

export class Theme {
  choice = $state<ThemeChoice>('system');

  constructor() {
    const saved = globalThis.localStorage?.getItem(KEY);
    if (saved === 'light' || saved === 'dark' || saved === 'system') this.choice = saved;
    this.#apply();
  }

  next(): void {
    this.choice = ORDER[(ORDER.indexOf(this.choice) + 1) % ORDER.length];
    globalThis.localStorage?.setItem(KEY, this.choice);
    this.#apply();
  }

  #apply(): void {
    const root = document.documentElement;
    if (this.choice === 'system') delete root.dataset.theme;
    else root.dataset.theme = this.choice;
  }
}
