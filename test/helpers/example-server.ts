import { afterEach, beforeEach } from "vitest";
import { createClient } from "../../examples/k8s/client.js";
import { exampleCluster } from "../../examples/server/seed.js";
import { type ExampleServerOptions, createExampleServer, listen } from "../../examples/server/server.js";
import type { ClusterStore } from "../../examples/server/store.js";

/** The example server of one test: its store, its URL and a generated client that sends its token. */
export interface ExampleServerUnderTest {
  store: ClusterStore;
  server: ReturnType<typeof createExampleServer>;
  baseUrl: string;
  client(): ReturnType<typeof createClient>;
}

export const EXAMPLE_TOKEN = "example-token";

/**
 * A fresh example cluster and server for each test of the file (bearer token {@link EXAMPLE_TOKEN}, plus
 * `options`), closed after it; read the fields inside tests, not at collection time.
 */
export function useExampleServer(options: ExampleServerOptions = {}): ExampleServerUnderTest {
  const t = {
    client: () => createClient({ baseUrl: t.baseUrl, token: EXAMPLE_TOKEN, timeoutMs: 5000 }),
  } as ExampleServerUnderTest;
  beforeEach(async () => {
    t.store = exampleCluster();
    t.server = createExampleServer(t.store, { token: EXAMPLE_TOKEN, ...options });
    t.baseUrl = await listen(t.server);
  });
  afterEach(() => {
    t.server.closeAllConnections();
    t.server.close();
  });
  return t;
}
