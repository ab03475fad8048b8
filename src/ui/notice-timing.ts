// How long a message about what just happened ("Draft restored", "X loaded", "kill applied…")
// stays on screen by itself; errors and messages with an action stay until dismissed.
export const NOTICE_MS = 8000;
