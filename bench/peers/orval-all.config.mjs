// orval on the whole document (the scale part): every path and every schema, fetch client, one file, as
// the two-operation config (orval.config.mjs) but without its filters.
// The bench passes the document and the output folder in BENCH_SPEC and BENCH_OUT.
export default {
  all: {
    input: { target: process.env.BENCH_SPEC },
    output: { target: `${process.env.BENCH_OUT}/api.ts`, client: "fetch", mode: "single" },
  },
};
