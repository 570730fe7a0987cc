// Small statistics for the benchmark: medians and nearest-rank percentiles.

/** The `q` quantile (0..1) by the nearest-rank method: an observed value, never interpolated. */
export function quantile(values, q) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

export const median = (values) => {
  // The median proper (mean of the two middle values for an even count).
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const min = (values) => (values.length ? Math.min(...values) : null);
export const max = (values) => (values.length ? Math.max(...values) : null);

/** Rounds for the report (keeps JSON readable). */
export function round(value, digits = 2) {
  if (value == null || !Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function summary(values, digits = 2) {
  return {
    n: values.length,
    median: round(median(values), digits),
    min: round(min(values), digits),
    max: round(max(values), digits),
  };
}
