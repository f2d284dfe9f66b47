// The benches' measuring helpers: a percentile, two-decimal rounding, a synchronous timing in ms.

/** The p-th percentile (nearest rank) of `xs`. */
export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

export const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Wall time of `fn` in milliseconds (hrtime). */
export const time = (fn: () => unknown): number => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
