// Light, dark, or the system's choice; kept in localStorage, applied as <html data-theme>.
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'agentos.theme';
export const THEME_CHOICES: ThemeChoice[] = ['system', 'light', 'dark'];
const ORDER = THEME_CHOICES;

export class Theme {
  choice = $state<ThemeChoice>('system');

  constructor() {
    const saved = globalThis.localStorage?.getItem(KEY);
    if (saved === 'light' || saved === 'dark' || saved === 'system') this.choice = saved;
    this.#apply();
  }

  next(): void {
    this.set(ORDER[(ORDER.indexOf(this.choice) + 1) % ORDER.length]);
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    globalThis.localStorage?.setItem(KEY, this.choice);
    this.#apply();
  }

  #apply(): void {
    const root = document.documentElement;
    if (this.choice === 'system') delete root.dataset.theme;
    else root.dataset.theme = this.choice;
  }
}
