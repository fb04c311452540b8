import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // src/ imports two openapi-typescript modules by path (see src/types/openapi-typescript.d.ts);
    // Node resolves them through the package's exports map, vite needs them spelled out.
    alias: [{ find: /^openapi-typescript\/dist\/(.*)$/, replacement: fileURLToPath(new URL("./node_modules/openapi-typescript/dist/$1", import.meta.url)) }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Snapshot updates are code changes: never write them silently in CI.
    update: false,
  },
});
