// orval, restricted to the two Binding operations: it has no operation filter, so the input transformer
// keeps the two paths, and the core_v1 tag filter drops the schemas nothing there uses.
// The bench passes the document and the output folder in BENCH_SPEC and BENCH_OUT.
import { BINDING_PATHS } from "./binding-paths.mjs";

export default {
  binding: {
    input: {
      target: process.env.BENCH_SPEC,
      filters: { tags: ["core_v1"] },
      override: {
        transformer: (spec) => ({
          ...spec,
          paths: Object.fromEntries(Object.entries(spec.paths).filter(([path]) => BINDING_PATHS.includes(path))),
        }),
      },
    },
    output: { target: `${process.env.BENCH_OUT}/binding.ts`, client: "fetch", mode: "single" },
  },
};
