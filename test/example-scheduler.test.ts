import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { once } from "node:events";
import { promisify } from "node:util";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, describe, expect, it } from "vitest";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type Decision, scheduleOnce, watchAndSchedule } from "../examples/scheduler/scheduler.js";
import { exampleCluster } from "../examples/server/seed.js";
import { createExampleServer, listen } from "../examples/server/server.js";
import { listenLoopback, stopServer } from "./helpers/loopback.js";
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

/**
 * A scripted apiserver on 127.0.0.1 for the watching scheduler: it answers lists from its pods and nodes, binds
 * pods, and plays one script per pod watch, in order: the first adds a pod and then drops the connection
 * mid-event; the second answers 410 (the resource version is too old); the third adds another pod and stays
 * open. Node watches stay open. It records every request.
 */
function scriptedApiserver() {
  const requests: string[] = [];
  const node = (name: string) => ({ apiVersion: "v1", kind: "Node", metadata: { name, resourceVersion: "1" }, status: { conditions: [{ type: "Ready", status: "True" }] } });
  const pod = (name: string, resourceVersion: string, nodeName?: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", uid: `uid-${name}`, resourceVersion }, spec: { schedulerName: "example-scheduler", containers: [{ name: "app", image: "nginx" }], ...(nodeName && { nodeName }) } });
  const pods = new Map([["web-1", pod("web-1", "5")], ["web-2", pod("web-2", "6")], ["db-0", pod("db-0", "7", "node-a")]]);
  const nodes = [node("node-a"), node("node-b")];
  const event = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;
  const podWatches: Array<(res: ServerResponse) => void> = [
    (res) => {
      const added = pod("web-3", "11");
      pods.set("web-3", added);
      res.write(event("ADDED", added));
      setTimeout(() => (res.write(event("MODIFIED", pod("db-0", "12", "node-a")).slice(0, 40)), setTimeout(() => res.socket?.destroy(), 20)), 50);
    },
    (res) => res.end(event("ERROR", { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410, message: "too old resource version: 11 (30)" })),
    (res) => {
      const added = pod("web-4", "31");
      pods.set("web-4", added);
      res.write(event("ADDED", added));
    },
  ];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const url = new URL(req.url!, "http://x");
      const watching = url.searchParams.get("watch") === "true";
      requests.push(`${req.method} ${url.pathname}${watching ? ` watch from ${url.searchParams.get("resourceVersion")}` : ""}`);
      const json = (status: number, value: unknown): void => void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (watching) {
        res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
        res.flushHeaders();
        if (url.pathname === "/api/v1/pods") podWatches.shift()?.(res);
        return undefined;
      }
      if (req.method === "GET" && url.pathname === "/api/v1/pods") return json(200, { apiVersion: "v1", kind: "PodList", metadata: { resourceVersion: requests.includes("GET /api/v1/pods watch from 11") ? "30" : "10" }, items: [...pods.values()] });
      if (req.method === "GET" && url.pathname === "/api/v1/nodes") return json(200, { apiVersion: "v1", kind: "NodeList", metadata: { resourceVersion: "10" }, items: nodes });
      const binding = /^\/api\/v1\/namespaces\/default\/pods\/([^/]+)\/binding$/.exec(url.pathname);
      if (req.method === "POST" && binding) {
        const target = pods.get(binding[1]!)!;
        if (target.spec.nodeName) return json(409, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Conflict", code: 409, message: `pod ${binding[1]} is already assigned to node "${target.spec.nodeName}"` });
        pods.set(binding[1]!, pod(binding[1]!, "40", JSON.parse(body).target.name));
        return json(201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
      }
      return json(404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: "not found" });
    });
  });
  return { server, requests, pods };
}

describe("example scheduler, watching (list-then-watch)", () => {
  it("binds pending pods as they appear, resuming a dropped watch from the last resource version and listing again after a 410", async () => {
    const { server, requests, pods } = scriptedApiserver();
    const baseUrl = await listenLoopback(server);
    const stop = new AbortController();
    const decisions: Decision[] = [];
    const retries: string[] = [];
    try {
      const running = watchAndSchedule(
        { baseUrl, timeoutMs: 2000 },
        {
          signal: stop.signal,
          onDecision: (decision) => {
            decisions.push(decision);
            if (decisions.length === 4) setTimeout(() => stop.abort(), 100);
          },
          onRetry: (error) => retries.push(`${error.status} ${error.message}`),
        },
      );
      await Promise.race([running, new Promise((_, reject) => setTimeout(() => reject(new Error(`the scheduler did not finish: ${JSON.stringify({ decisions, requests })}`)), 10_000))]);
    } finally {
      stopServer(server);
    }
    expect(decisions).toEqual([
      { pod: "default/web-1", node: "node-b" },
      { pod: "default/web-2", node: "node-a" },
      { pod: "default/web-3", node: "node-b" },
      { pod: "default/web-4", node: "node-a" },
    ]);
    // Pods and nodes are listed and watched side by side: their requests are in order each, not with each other.
    expect(requests.filter((r) => r.startsWith("GET /api/v1/pods"))).toEqual([
      "GET /api/v1/pods",
      "GET /api/v1/pods watch from 10",
      "GET /api/v1/pods watch from 11",
      "GET /api/v1/pods",
      "GET /api/v1/pods watch from 30",
    ]);
    expect(requests.filter((r) => r.startsWith("GET /api/v1/nodes"))).toEqual(["GET /api/v1/nodes", "GET /api/v1/nodes watch from 10"]);
    expect(retries).toEqual([
      expect.stringMatching(/^0 GET \/api\/v1\/pods: the 200 answer was cut off: /),
      "410 GET /api/v1/pods: 410 Expired: too old resource version: 11 (30)",
    ]);
    expect([...pods.values()].map((pod) => `${pod.metadata.name} ${pod.spec.nodeName}`)).toEqual(["web-1 node-b", "web-2 node-a", "db-0 node-a", "web-3 node-b", "web-4 node-a"]);
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
