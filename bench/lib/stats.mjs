/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds for display: 3 significant digits, no exponent. */
export function round(value) {
  if (!Number.isFinite(value)) return value;
  return Number(value.toPrecision(3));
}
