// KernelQL's `decisions`: every decision the kernel took, answering "what were the inputs, what
// was chosen, why" (the audit memory of design.md). A view over the loaded journal (nothing more
// to load): each decision is one event that records its outcome and its reason, named here in
// words, with the setting in force at that event (the node's scheduler policy or allocator, the
// resource's auction) read from the spec (`decision_settings`, filled with the state tables) and
// the user's policy and allocator interventions before it.
//
//   kind      event              inputs                                chosen                  why
//   schedule  sched/switched     the runnable processes, by the policy's key   pid and agent   the deciding value, the slice
//   allocate  heap/allocated     the request (size, slot)              the block's address     how the allocator picks
//   allocate  heap/exhausted     the request                           refused                 limit / heap / table
//   auction   resource/granted   the bid (units of which resource)     the winner, its price   the auction's rule
//   choose    step/chose         the PRNG draw and the total weight    the branch              the draw fell in it
//   heal      heal/*, tune/switched  the anomaly (or class) event it answers  the action      what that event found
//   supervise supervisor/*       the ending that asked for a restart   restart or give up      strategy, restarts in the period
//   place     process/migrated   the node it left and what moved it    the node it went to     failover, the user, or healing a hog
//   place     process/unplaced   the node it is on and the move asked  stays there             pinned, no node fits, no room, ended
//   probe     probe/ready|unready  its heap and the readiness mark     ready or not ready      warmed up, heap below or at the mark
import { EventCode as E, ExhaustedWhy, InterventionKind, ReadyReason, UnplacedWhy } from '../kernel/events';
import { ALLOCATOR_CODES, POLICY_CODES } from '../kernel/events';
import { SCHED_REASONS } from '../core/sched';
import { allocatorOf, type Spec } from '../spec/types';

/** The autonomy's automatic actions (kernel/autonomy/): each is a decision caused by what it answers. */
const HEAL_CODES = [
  E['heal/restarted'], E['heal/reniced'], E['heal/policySwitched'], E['heal/capacityRaised'], E['heal/loadShed'], E['heal/scaled'], E['tune/switched'],
  E['heal/migrated'], E['heal/limitRaised'],
];

export const DECISION_COLUMNS = ['seq', 'tick', 'kind', 'node', 'pid', 'agent', 'cause', 'policy', 'inputs', 'chosen', 'why'] as const;
/** One row per node (policy, allocator at boot) and per resource (its auction). */
export const DECISION_SETTINGS_COLUMNS = ['what', 'id', 'name', 'setting'] as const;

const q = (text: string) => `'${text.replaceAll("'", "''")}'`;
const caseOf = (expression: string, arms: [number | string, string][], otherwise = 'NULL') =>
  `CASE ${expression} ${arms.map(([when, then]) => `WHEN ${typeof when === 'number' ? when : q(when)} THEN ${then}`).join(' ')} ELSE ${otherwise} END`;

const SCHED_TEXT: Record<string, [inputs: string, why: string]> = {
  none: ['', 'no decision'],
  idle: ['nothing runnable', 'idle'],
  'next-in-ring': ['the ring of runnable processes', 'next in the ring, waited %v ticks'],
  'highest-level': ['the runnable processes by priority level', 'highest level %v'],
  aged: ['the runnable processes by level and waiting time', 'aged: waited %v ticks'],
  'lowest-vruntime': ['the runnable processes by virtual runtime', 'lowest vruntime %v'],
  'earliest-eligible-deadline': ['the eligible processes by virtual deadline', 'earliest eligible deadline %v'],
};
const ALLOCATOR_TEXT: Record<string, string> = {
  tlsf: 'TLSF: a free block from the smallest size class that fits (two-level bitmaps, O(1))',
  buddy: 'buddy: the smallest free power-of-two block that fits, split in halves as needed',
  'first-fit': 'first-fit: the lowest-addressed free block that fits',
  'best-fit': 'best-fit: the smallest free block that fits',
};
const AUCTION_TEXT: Record<string, string> = {
  'second-price': 'the highest bid wins and pays the runner-up bid (second-price)',
  'first-price': 'the highest bid wins and pays its own bid (first-price)',
};

/** The setting named by the last user intervention of `kind` on the event's node before it, else the spec's. */
const settingAt = (kind: number, names: readonly string[], column: 'policy' | 'allocator') =>
  `COALESCE((SELECT ${caseOf('i.b', names.map((name, code) => [code, q(name)]))} FROM event_log i WHERE i.code = ${E['user/intervened']} AND i.a = ${kind} AND i.node = l.node AND i.seq < l.seq ORDER BY i.seq DESC LIMIT 1),
    (SELECT setting FROM decision_settings WHERE what = '${column}' AND id = l.node))`;

const who = `'pid ' || pid || COALESCE(' (' || agent || ')', '')`;

export const DECISIONS_SQL = [
  `CREATE TABLE decision_settings(what TEXT, id INTEGER, name TEXT, setting TEXT);`,
  `CREATE VIEW decisions AS
SELECT seq, tick, 'schedule' AS kind, node, pid, agent, cause, policy,
  ${caseOf('a', SCHED_REASONS.map((reason, code) => [code, q(SCHED_TEXT[reason][0])]))} || ' on n' || node AS inputs,
  ${caseOf('a', [[SCHED_REASONS.indexOf('idle'), q('none')]], who)} AS chosen,
  replace(${caseOf('a', SCHED_REASONS.map((reason, code) => [code, q(SCHED_TEXT[reason][1])]))}, '%v', b) || '; slice ' || c || ' µs' AS why
FROM (SELECT l.*, ${settingAt(InterventionKind.policy, POLICY_CODES, 'policy')} AS policy FROM event_log l WHERE l.code = ${E['sched/switched']})
UNION ALL
SELECT seq, tick, 'allocate', node, pid, agent, cause, policy,
  'a request of ' || b || ' B (slot ' || c || ')',
  'the block at ' || a,
  ${caseOf('policy', Object.entries(ALLOCATOR_TEXT).map(([name, text]) => [name, q(text)]))}
FROM (SELECT l.*, ${settingAt(InterventionKind.allocator, ALLOCATOR_CODES, 'allocator')} AS policy FROM event_log l WHERE l.code = ${E['heap/allocated']})
UNION ALL
SELECT seq, tick, 'allocate', node, pid, agent, cause, policy,
  'a request of ' || a || ' B (slot ' || c || ')',
  'refused',
  ${caseOf('b', [[ExhaustedWhy.limit, q("over the agent's memory limit")], [ExhaustedWhy.heap, q("no free block of the node's heap fits")], [ExhaustedWhy.table, q('the allocation table is full')]])}
FROM (SELECT l.*, ${settingAt(InterventionKind.allocator, ALLOCATOR_CODES, 'allocator')} AS policy FROM event_log l WHERE l.code = ${E['heap/exhausted']})
UNION ALL
SELECT l.seq, l.tick, 'auction', l.node, l.pid, l.agent, l.cause, s.setting,
  'a bid for ' || l.b || ' unit' || CASE l.b WHEN 1 THEN '' ELSE 's' END || ' of ' || COALESCE(s.name, 'resource ' || l.a),
  'pid ' || l.pid || COALESCE(' (' || l.agent || ')', '') || ', paying ' || l.c,
  ${caseOf('s.setting', Object.entries(AUCTION_TEXT).map(([name, text]) => [name, q(text)]))}
FROM event_log l LEFT JOIN decision_settings s ON s.what = 'auction' AND s.id = l.a WHERE l.code = ${E['resource/granted']}
UNION ALL
SELECT seq, tick, 'choose', node, pid, agent, cause, 'weighted',
  'a PRNG draw of ' || b || ' out of a total weight of ' || c,
  'branch ' || a,
  'the draw fell in branch ' || a || '''s share of the weights'
FROM event_log WHERE code = ${E['step/chose']}
UNION ALL
SELECT l.seq, l.tick, 'heal', l.node, l.pid, l.agent, l.cause, 'autonomy',
  COALESCE(t.name || ' at event #' || l.cause, 'event #' || l.cause),
  replace(replace(e.name, 'heal/', ''), 'tune/', 'tune '),
  'answers what event #' || l.cause || ' found (its words: why ' || l.seq || ')'
FROM event_log l JOIN event_types e ON e.code = l.code LEFT JOIN event_log c ON c.seq = l.cause LEFT JOIN event_types t ON t.code = c.code
WHERE l.code IN (${HEAL_CODES.join(', ')})
UNION ALL
SELECT l.seq, l.tick, 'supervise', l.node, l.pid, l.agent, l.cause, 'supervisor ' || l.a,
  COALESCE(t.name || ' at event #' || l.cause, 'event #' || l.cause),
  CASE l.code WHEN ${E['supervisor/gaveUp']} THEN 'give up' ELSE 'restart by its strategy' END,
  l.b || ' restarts within its period (why ' || l.seq || ' says it in words)'
FROM event_log l LEFT JOIN event_log c ON c.seq = l.cause LEFT JOIN event_types t ON t.code = c.code
WHERE l.code IN (${E['supervisor/restarting']}, ${E['supervisor/gaveUp']})
UNION ALL
SELECT l.seq, l.tick, 'place', l.node, l.pid, l.agent, l.cause, 'placement',
  'on n' || l.a || ', moved by ' || COALESCE(t.name || ' at event #' || l.cause, 'event #' || l.cause),
  'n' || l.b,
  CASE c.code WHEN ${E['node/crashed']} THEN 'failover: n' || l.a || ' crashed; n' || l.b || ' is the least loaded live node that fits (' || l.c || ' runnable)'
    WHEN ${E['user/intervened']} THEN 'the user moved it; n' || l.b || ' had ' || l.c || ' runnable'
    WHEN ${E['heal/migrated']} THEN 'healing a hog: n' || l.a || ' had ' || c.c || ' runnable, n' || l.b || ' had ' || l.c
    ELSE 'n' || l.b || ' had ' || l.c || ' runnable' END
FROM event_log l LEFT JOIN event_log c ON c.seq = l.cause LEFT JOIN event_types t ON t.code = c.code WHERE l.code = ${E['process/migrated']}
UNION ALL
SELECT l.seq, l.tick, 'place', l.node, l.pid, l.agent, l.cause, 'placement',
  'on n' || l.a || ', moved by ' || COALESCE(t.name || ' at event #' || l.cause, 'event #' || l.cause),
  'stays on n' || l.a,
  ${caseOf('l.b', [[UnplacedWhy.pinned, q('pinned there by node:')], [UnplacedWhy.noCapableNode, q('no live node offers what it requires')], [UnplacedWhy.noLiveNode, q('no other node is up')], [UnplacedWhy.heap, q("the target's allocator had no room for its heap")], [UnplacedWhy.ended, q('it ended before the move')]])}
FROM event_log l LEFT JOIN event_log c ON c.seq = l.cause LEFT JOIN event_types t ON t.code = c.code WHERE l.code = ${E['process/unplaced']}
UNION ALL
SELECT seq, tick, 'probe', node, pid, agent, cause, 'readiness',
  'heap ' || b || ' B, mark ' || c || ' B',
  CASE code WHEN ${E['probe/ready']} THEN 'ready' ELSE 'not ready' END,
  CASE WHEN code = ${E['probe/unready']} THEN 'its heap reached the readiness mark: messages go to ready replicas'
    WHEN a = ${ReadyReason.warmedUp} THEN 'warmed up: its readiness delay ended' ELSE 'its heap fell below the readiness mark' END
FROM event_log WHERE code IN (${E['probe/ready']}, ${E['probe/unready']});`,
].join('\n');

/** decision_settings' rows for a spec: each node's policy and allocator at boot, each resource's auction. */
export function decisionSettings(spec: Spec): (number | string)[][] {
  const rows: (number | string)[][] = [];
  for (let node = 0; node < spec.cluster.nodeCount; node++) {
    rows.push(['policy', node, `n${node}`, spec.kernel.scheduler]);
    rows.push(['allocator', node, `n${node}`, allocatorOf(spec.kernel, node)]);
  }
  for (const resource of spec.resources) rows.push(['auction', resource.index, resource.name, resource.auction]);
  return rows;
}
