// Shared helpers of the Memory, Metrics and Profile panels: agent colours (one hue per agent, a
// lighter shade per replica, so the heap map and the profile agree), byte and tick formatting,
// and reading the theme's CSS variables for canvas drawing.

/** Tableau 10 without its grey (grey means free memory here). */
const AGENT_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#17becf'];

export function agentColor(agentIndex: number): string {
  return agentIndex < 0 ? '#888888' : AGENT_COLORS[agentIndex % AGENT_COLORS.length];
}

/** The agent's colour, lightened a step for each replica (four steps, then round again). */
export function processColor(agentIndex: number, replica: number): string {
  const base = agentColor(agentIndex);
  const amount = (replica % 4) * 0.14;
  const channel = (offset: number) => {
    const value = parseInt(base.slice(offset, offset + 2), 16);
    return Math.round(value + (255 - value) * amount).toString(16).padStart(2, '0');
  };
  return `#${channel(1)}${channel(3)}${channel(5)}`;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB'];

export function formatBytes(bytes: number): string {
  let value = bytes, unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) { value /= 1024; unit++; }
  const digits = unit === 0 || Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** Virtual time (1 tick = 1 µs) in the largest unit that keeps it readable. */
export function formatTicks(ticks: number): string {
  if (ticks >= 1_000_000) return `${(ticks / 1_000_000).toFixed(ticks >= 10_000_000 ? 1 : 2)} s`;
  if (ticks >= 1000) return `${(ticks / 1000).toFixed(ticks >= 10_000 ? 1 : 2)} ms`;
  return `${Math.round(ticks)} µs`;
}

/** Time-axis labels of every chart (Metrics, watches): ms of virtual time, as few digits as the spacing needs. */
export function formatAxisTime(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(3)} s` : ms >= 1 || ms === 0 ? `${+ms.toFixed(3)} ms` : `${+(ms * 1000).toFixed(0)} µs`;
}

export function formatAddress(address: number): string {
  return `0x${address.toString(16).padStart(8, '0')}`;
}
