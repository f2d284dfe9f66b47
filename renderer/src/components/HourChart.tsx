// Sales by hour as inline SVG: 24 bars, heights relative to the busiest hour.
import { naira } from '../lib/format';

export function HourChart({ hourly }: { hourly: { hour: number; count: number; payable_kobo: number }[] }) {
  const W = 720,
    H = 180,
    pad = 24,
    bw = (W - pad * 2) / 24;
  const max = Math.max(1, ...hourly.map((h) => h.payable_kobo));
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      role="img"
      aria-label="Sales by hour (Lagos time)"
      data-testid="hour-chart"
    >
      <line x1={pad} x2={W - pad} y1={H - pad} y2={H - pad} stroke="#c9ced6" />
      {hourly.map((h) => {
        const bh = h.payable_kobo <= 0 ? 0 : Math.max(2, ((H - pad * 2) * h.payable_kobo) / max);
        return (
          <g key={h.hour}>
            <rect className="bar" x={pad + h.hour * bw + 2} y={H - pad - bh} width={bw - 4} height={bh}>
              <title>{`${String(h.hour).padStart(2, '0')}:00 — ${h.count} sales, ${naira(h.payable_kobo)}`}</title>
            </rect>
            {h.hour % 3 === 0 && (
              <text x={pad + h.hour * bw + bw / 2} y={H - 8} textAnchor="middle">
                {String(h.hour).padStart(2, '0')}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
