import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { once } from "node:events";
import { promisify } from "node:util";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, describe, expect, it } from "vitest";
import { scheduleOnce } from "../examples/scheduler/scheduler.js";
import { exampleCluster } from "../examples/server/seed.js";
import { createExampleServer, listen } from "../examples/server/server.js";
import { stopServer } from "./helpers/loopback.js";
import { ROOT } from "./helpers/run.js";

const COMPILED = join(ROOT, "dist-examples", "examples");

describe("example scheduler", () => {
  it("binds every pending pod to the least loaded Ready node, then finds nothing left to do", async () => {
    const store = exampleCluster();
    const server = createExampleServer(store);
    try {
      const baseUrl = await listen(server);
      expect(await scheduleOnce({ baseUrl })).toEqual([
        { pod: "default/web-1", node: "node-b" },
        { pod: "default/web-2", node: "node-a" },
        { pod: "default/web-3", node: "node-b" },
      ]);
      expect(store.listPods().map((pod) => [pod.metadata?.name, pod.spec?.nodeName, pod.status?.conditions?.at(-1)?.type])).toEqual([
        ["db-0", "node-a", "PodScheduled"],
        ["web-1", "node-b", "PodScheduled"],
        ["web-2", "node-a", "PodScheduled"],
        ["web-3", "node-b", "PodScheduled"],
      ]);
      expect(await scheduleOnce({ baseUrl })).toEqual([]);
    } finally {
      stopServer(server);
    }
  });

  it("fails with the generated ApiError, which says what happened, when the server cannot be reached", async () => {
    const { ApiError } = await import("../examples/k8s/client.js");
    const server = createExampleServer(exampleCluster());
    const baseUrl = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    const error = await scheduleOnce({ baseUrl, timeoutMs: 2000 }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, message: expect.stringMatching(/^GET \/api\/v1\/pods: connection refused \(ECONNREFUSED\)$/) });
  });

  it("ignores pods that name another scheduler", async () => {
    const store = exampleCluster();
    store.addPod({ name: "batch-1", schedulerName: "batch-scheduler" });
    const server = createExampleServer(store);
    try {
      const decisions = await scheduleOnce({ baseUrl: await listen(server) });
      expect(decisions.map((d) => d.pod)).not.toContain("default/batch-1");
      expect(store.pod("default", "batch-1")!.spec?.nodeName).toBeUndefined();
    } finally {
      stopServer(server);
    }
  });
});

describe("the README story: npm run example:server, then npm run example:scheduler", () => {
  let serverProcess: ChildProcess | undefined;
  afterAll(() => {
    serverProcess?.kill();
  });

  it("the compiled server and scheduler work as separate processes, and the official client reads the result", async () => {
    expect(existsSync(join(COMPILED, "server", "main.js")), "dist-examples/ is missing: run npm run build first").toBe(true);
    serverProcess = spawn(process.execPath, [join(COMPILED, "server", "main.js"), "--port", "0"], { env: { ...process.env, EXAMPLE_TOKEN: "demo-token" }, stdio: ["ignore", "pipe", "inherit"] });
    const [firstLine] = (await Promise.race([once(serverProcess.stdout!, "data"), new Promise((_, reject) => setTimeout(() => reject(new Error("the example server did not start within 10 s")), 10_000))])) as [Buffer];
    const baseUrl = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(firstLine.toString())![1]!;

    const scheduler = await promisify(execFile)(process.execPath, [join(COMPILED, "scheduler", "main.js"), "--server", baseUrl, "--token", "demo-token"], { timeout: 10_000 });
    expect(scheduler.stdout).toBe("bound default/web-1 to node-b\nbound default/web-2 to node-a\nbound default/web-3 to node-b\n");

    const config = new KubeConfig();
    config.loadFromClusterAndUser({ name: "example", server: baseUrl, skipTLSVerify: true }, { name: "reader", token: "demo-token" });
    const pods = await config.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "default" });
    expect(Object.fromEntries(pods.items.map((pod) => [pod.metadata!.name, pod.spec!.nodeName]))).toEqual({ "db-0": "node-a", "web-1": "node-b", "web-2": "node-a", "web-3": "node-b" });
  });
});
