// Counted words in the UI: "1 channel", "2 channels", "1,024 events". The one helper, so that no
// label says "1 channels".

/** `count` and `word`, the word plural unless the count is 1: plural(1, 'channel') -> "1 channel". */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? word : many}`;
}
