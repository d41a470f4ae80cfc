import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the old generation grow past what survived its last full collection before the
 * next one. Its default grows up to 4×, and after a burst of webhooks no further collection comes
 * to give the rest back (the memory reducer waits for a low allocation rate it measures only at
 * collections): with 30 % the process held ~165 MB a minute after a burst instead of ~220, for no
 * CPU per request we could tell from the noise (bench/README.md, "memory after a burst").
 */
const HEAP_GROWING_PERCENT = 30;

/**
 * Sets the limit for both of `serve`'s isolates (V8's flags are the process's, and it reads this one
 * at each collection). Set here because V8 refuses it in NODE_OPTIONS; a `--heap-growing-percent`
 * given to node itself wins.
 */
export function limitHeapGrowth(execArgv: readonly string[]): void {
  if (execArgv.some((arg) => arg.startsWith("--heap-growing-percent"))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
