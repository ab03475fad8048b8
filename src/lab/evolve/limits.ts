// Every limit an evolve plan and its loop are held to, in one place: everything the loop grows
// (the pool, the red suite, the generations, the runs it keeps) stops at one of these.

/** Evolve plan text, in UTF-16 code units. */
export const EVOLVE_TEXT_CHARS_MAX = 256 * 1024;
/** `generations` (and the CLI's --generations). */
export const GENERATIONS_MAX = 200;
/** Blue genomes evaluated per generation (`blue.pool`). */
export const POOL_MAX = 32;
/** Genes of the blue genome (`blue.genes`). */
export const GENES_MAX = 32;
/** Choices of one gene. */
export const GENE_CHOICES_MAX = 64;
/** Red tests in the suite (`red.suite-max`). */
export const SUITE_MAX = 64;
/** Red candidates forged per generation (`red.forge`). */
export const FORGE_MAX = 64;
/** Faults (a crash or a partition, with its recovery) in one red test (`red.budget`). */
export const BUDGET_MAX = 16;
/** Load keys of the red genome (`red.load`). */
export const LOAD_KEYS_MAX = 8;
/** Seeds each evaluation runs. */
export const EVOLVE_SEEDS_MAX = 16;
/**
 * Trials a whole run may need at worst (generations × (pool × suite-max + forge) × seeds): a plan
 * or a --generations asking for more is refused before anything runs.
 */
export const EVOLVE_TRIALS_MAX = 1_000_000;
/** Attempts to forge or breed something not seen yet before giving up on that slot. */
export const BREED_ATTEMPTS_MAX = 32;
/** Pairs (blue × red) in one batch: one experiment plan of at most this many variants (lab/limits VARIANTS_MAX). */
export const BATCH_PAIRS_MAX = 64;
