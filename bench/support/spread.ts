import { median } from "./median.ts";

/** "median (min–max)" of the rounds, or the one value when there was one round. */
export function spread(values: number[], digits = 0): string {
  const middle = median(values).toFixed(digits);
  if (values.length < 2) return middle;
  return `${middle} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}
