export declare const CHROMIUM_CANDIDATES: readonly string[];
export declare function findChrome(): { path: string; error?: undefined } | { error: string; path?: undefined };
