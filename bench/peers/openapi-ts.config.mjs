// @hey-api/openapi-ts, restricted to the two Binding operations with its own operation filter.
// The bench passes the document and the output folder in BENCH_SPEC and BENCH_OUT.
import { BINDING_PATHS } from "./binding-paths.mjs";

export default {
  input: process.env.BENCH_SPEC,
  output: process.env.BENCH_OUT,
  parser: { filters: { operations: { include: BINDING_PATHS.map((path) => `POST ${path}`) } } },
  plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
  logs: { level: "silent" },
};
