import { describe, expect, it } from "vitest";
import { type GenBindingConfig, defineConfig } from "../src/index.js";

// The types are tested by `npm run typecheck` (npm test runs it): each @ts-expect-error below must meet an
// error, or the type-check fails. test/pack.test.ts compiles a config against the packed package.
describe("defineConfig", () => {
  it("returns the settings as given, typed", () => {
    const kinds = ["Binding", "Pod"] as const;
    const config = defineConfig({ spec: "k8s/swagger.json", out: "src/k8s", kinds, emit: ["client", "node"], report: "json", failOnBreaking: true, handlers: "src/handlers.ts", templates: "templates" });
    expect(config).toEqual({ spec: "k8s/swagger.json", out: "src/k8s", kinds: ["Binding", "Pod"], emit: ["client", "node"], report: "json", failOnBreaking: true, handlers: "src/handlers.ts", templates: "templates" });
    const fromEnvironment: GenBindingConfig = defineConfig({ specs: ["api__v1.json", "apis__apps__v1.json"], out: process.env["K8S_OUT"] });
    expect(fromEnvironment.specs).toHaveLength(2);
  });

  it("refuses, at compile time, what the config file would refuse when read", () => {
    const wrong: GenBindingConfig[] = [
      // @ts-expect-error kinds is a list of kinds
      defineConfig({ kinds: "Binding" }),
      // @ts-expect-error server is not a part
      defineConfig({ emit: ["client", "server"] }),
      // @ts-expect-error text or json
      defineConfig({ report: "yaml" }),
      // @ts-expect-error an unknown setting
      defineConfig({ outDir: "src/k8s" }),
      // @ts-expect-error true or false
      defineConfig({ failOnBreaking: "yes" }),
    ];
    expect(wrong).toHaveLength(5);
  });
});
