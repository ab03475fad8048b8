// The evolve worker: the loop of an evolve run (evolve-api.ts), off the page's thread. Its trials
// run on the page's pool of trial workers, through the callbacks the page passes (Comlink).
import * as Comlink from 'comlink';
import { runEvolveRequest } from './evolve-api';

Comlink.expose({ run: runEvolveRequest });
