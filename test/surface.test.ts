import { describe, expect, it } from "vitest";
import { readSurface } from "../src/surface.js";

describe("the API surface the change report compares", () => {
  // Regression: when watches moved from runtime/client.ts to runtime/client-streams.ts, every watch was
  // reported as a breaking change of its answer (`runtime.WatchEvent<Pod>` -> `streaming.WatchEvent<Pod>`).
  it("does not depend on the runtime module a client type is reached through", () => {
    const output = (namespace: string) => [
      { name: "operations.ts", content: 'export const api = { operations: { watchPod: { method: "GET", path: "/api/v1/pods" } } };\n' },
      {
        name: "client.ts",
        content: `import * as ${namespace} from "./runtime/x.js";\nexport interface WatchPodParams { limit?: number }\nexport interface Client {\n  watchPod(params: WatchPodParams, init?: ${namespace}.StreamInit): AsyncIterable<${namespace}.WatchEvent<Pod>>;\n}\n`,
      },
    ];
    const before = readSurface(output("runtime"));
    expect(before.operations["watchPod"]).toMatchObject({ method: "GET", path: "/api/v1/pods", result: "AsyncIterable<WatchEvent<Pod>>" });
    expect(readSurface(output("streaming"))).toEqual(before);
  });
});
