// The engine version: what a recorded session promises to replay identically on. Bump
// KERNEL_VERSION whenever the kernel's behaviour changes in a way a journal could notice (event
// schema, scheduling of actions, a syscall's decisions); the core carries its own version.
import { EVENT_FORMAT } from './events';

export const KERNEL_VERSION = 2;

export function engineVersion(coreVersion: string): string {
  return `kernel ${KERNEL_VERSION}.${EVENT_FORMAT} core ${coreVersion}`;
}
