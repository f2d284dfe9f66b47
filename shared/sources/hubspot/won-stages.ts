// Which HubSpot deal stages mean "won": read from the portal's pipelines (GET /crm/v3/pipelines/deals),
// never from labels. A stage is closed-won when its metadata says isClosed and probability 1.0;
// HubSpot types metadata values as strings ("true", "1.0") but its prose shows numbers: parse both.
import Big from 'big.js';

export interface HubspotStage {
  id: string;
  label: string;
  pipelineId: string;
  pipelineLabel: string;
  closed: boolean;
  probability: string | undefined;
  /** closed and probability 1 */
  won: boolean;
  /** closed and probability 0 */
  lost: boolean;
}

function flag(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

function probability(v: unknown): Big | undefined {
  const t = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  return new Big(t);
}

/** Every stage of every deal pipeline in a /crm/v3/pipelines/deals response (or a single pipeline, or an array). */
export function hubspotStages(pipelines: unknown): HubspotStage[] {
  const list: unknown[] = Array.isArray(pipelines)
    ? pipelines
    : pipelines && typeof pipelines === 'object' && Array.isArray((pipelines as { results?: unknown }).results)
      ? (pipelines as { results: unknown[] }).results
      : pipelines && typeof pipelines === 'object' && Array.isArray((pipelines as { stages?: unknown }).stages)
        ? [pipelines]
        : [];
  const out: HubspotStage[] = [];
  for (const p of list) {
    if (!p || typeof p !== 'object') continue;
    const pipe = p as { id?: unknown; label?: unknown; stages?: unknown; archived?: unknown };
    if (!Array.isArray(pipe.stages)) continue;
    for (const s of pipe.stages) {
      if (!s || typeof s !== 'object') continue;
      const st = s as { id?: unknown; label?: unknown; metadata?: Record<string, unknown>; archived?: unknown };
      if (typeof st.id !== 'string' && typeof st.id !== 'number') continue;
      const closed = flag(st.metadata?.isClosed);
      const prob = probability(st.metadata?.probability);
      out.push({
        id: String(st.id),
        label: String(st.label ?? st.id),
        pipelineId: String(pipe.id ?? ''),
        pipelineLabel: String(pipe.label ?? pipe.id ?? ''),
        closed,
        probability: prob?.toString(),
        won: closed && prob !== undefined && prob.eq(1),
        lost: closed && prob !== undefined && prob.eq(0),
      });
    }
  }
  return out;
}

/** The default "issue an invoice" stages: those whose metadata says closed-won. */
export const defaultWonStages = (pipelines: unknown): string[] =>
  hubspotStages(pipelines)
    .filter((s) => s.won)
    .map((s) => s.id);
