// @hey-api/openapi-ts on the whole document (the scale part): the plugins of the two-operation config
// (openapi-ts.config.mjs), without its operation filter.
// The bench passes the document and the output folder in BENCH_SPEC and BENCH_OUT.
export default {
  input: process.env.BENCH_SPEC,
  output: process.env.BENCH_OUT,
  plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
  logs: { level: "silent" },
};
