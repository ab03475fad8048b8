// Codes the autonomy's events carry, numbered for the journal, named for people.
import { EventCode as E } from '../events';

/** The autonomy's events: anomaly/detected .. tune/switched, and heal/migrated and heal/limitRaised (appended later to the schema). */
export const isAutonomyType = (type: number) => (type >= E['anomaly/detected'] && type <= E['tune/switched']) || type === E['heal/migrated'] || type === E['heal/limitRaised'];

export const AnomalyKind = { leak: 0, hog: 1, starvation: 2, congestion: 3, crashLoop: 4, deadlock: 5 } as const;
/** As the spec's `detect:` names them, by code. */
export const ANOMALY_NAMES = ['leak', 'hog', 'starvation', 'congestion', 'crash-loop', 'deadlock'] as const;
/** anomaly = kind + ANOMALY_SUBJECT_STRIDE * subject (a channel for congestion, a cycle's length for deadlock, the limit for a leak). */
export const ANOMALY_SUBJECT_STRIDE = 8;

/** A leak's prediction: which limit it would reach first. */
export const LeakLimit = { process: 0, node: 1 } as const;

/** The workload classes the tuner tells apart. */
export const WorkloadClass = { cpuBound: 0, ioBound: 1, interactive: 2 } as const;
export const WORKLOAD_NAMES = ['cpu-bound', 'io-bound', 'interactive'] as const;

export const kindOf = (anomaly: number) => anomaly % ANOMALY_SUBJECT_STRIDE;
export const subjectOf = (anomaly: number) => Math.floor(anomaly / ANOMALY_SUBJECT_STRIDE);
export const anomalyCode = (kind: number, subject = 0) => kind + ANOMALY_SUBJECT_STRIDE * subject;
