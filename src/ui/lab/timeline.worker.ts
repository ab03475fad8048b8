// The A/B view's worker (ABCompare.svelte): the timeline API (timeline-api.ts) on its own wasm
// core, exposed before anything loads, so no message is lost while the wasm is fetched.
import * as Comlink from 'comlink';
import { loadCoreInBrowser } from '../../core/browser';
import { createTimelineApi } from './timeline-api';

Comlink.expose(createTimelineApi(loadCoreInBrowser));
