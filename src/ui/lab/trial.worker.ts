// One worker of the experiment pool (sweep.svelte.ts): the trial API (trial-api.ts) on its own
// wasm core, exposed before anything loads, so no message is lost while the wasm is fetched.
import * as Comlink from 'comlink';
import { loadCoreInBrowser } from '../../core/browser';
import { createTrialApi } from './trial-api';

Comlink.expose(createTrialApi(loadCoreInBrowser));
