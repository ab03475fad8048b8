// Tests run against the debug build: assertions in the core are on.
import { loadCoreFromDisk } from '../../src/core/node';
export const loadDebugCore = () => loadCoreFromDisk('debug');
