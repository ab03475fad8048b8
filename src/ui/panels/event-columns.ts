// The Events list's "who" column ("forager[3] · pid 12"): as wide as the session's widest label,
// so names are not cut while the details column has room; bounded so that a long agent name
// cannot squeeze the details out (it is then cut, with its full text in the title).

/** The least and the most characters the column takes. */
export const WHO_CH_MIN = 12;
export const WHO_CH_MAX = 36;

/** Characters for the widest "agent[replica] · pid N" of these agents (boot replicas) and processes. */
export function whoColumnCh(agents: readonly { name: string; replicas: number }[], processes: readonly { pid: number; agent: string; replica: number }[]): number {
  const label = (name: string, replica: number, replicas: number) => (replicas === 1 && replica === 0 ? name.length : name.length + String(replica).length + 2);
  let widestLabel = 0, pids = 0;
  for (const agent of agents) {
    widestLabel = Math.max(widestLabel, label(agent.name, Math.max(0, agent.replicas - 1), agent.replicas));
    pids += agent.replicas;
  }
  const replicasOf = new Map(agents.map((agent) => [agent.name, agent.replicas]));
  for (const process of processes) {
    widestLabel = Math.max(widestLabel, label(process.agent, process.replica, replicasOf.get(process.agent) ?? 2));
    pids = Math.max(pids, process.pid + 1);
  }
  const width = widestLabel + ' · pid '.length + String(Math.max(0, pids - 1)).length;
  return Math.min(WHO_CH_MAX, Math.max(WHO_CH_MIN, width));
}
