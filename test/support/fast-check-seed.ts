import fc from "fast-check";

// Property tests explore new random inputs on every local run. In CI they replay one seed, so a
// landing is reproducible and a red run is never a coin toss; FAST_CHECK_SEED picks another seed.
if (process.env.CI || process.env.FAST_CHECK_SEED) {
  fc.configureGlobal({ seed: Number(process.env.FAST_CHECK_SEED ?? 20_261_123) });
}
