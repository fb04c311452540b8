import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGenerated } from "./helpers/generated.js";

const BINDING = { apiVersion: "v1", kind: "Binding", metadata: { name: "web-1" }, target: { kind: "Node", name: "node-a" } };
const SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };

let generated: Awaited<ReturnType<typeof loadGenerated>>;
const calls: Array<{ name: string; request: unknown; context: any }> = [];
let handlerError: Error | undefined;

function handlers() {
  const record = (name: string) => async (request: unknown, context: unknown) => {
    calls.push({ name, request, context });
    if (handlerError) throw handlerError;
    return { body: SUCCESS };
  };
  return { createNamespacedBinding: record("createNamespacedBinding"), createNamespacedPodBinding: record("createNamespacedPodBinding") };
}

let server: Server;
let baseUrl = "";
beforeAll(async () => {
  generated = await loadGenerated();
  const listener = generated.routes.createRequestListener(handlers(), {
    authenticate: (token: string | undefined) => (token === "good" ? { name: "scheduler" } : false),
    maxBodyBytes: 4096,
  });
  server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const POD_BINDING = "/api/v1/namespaces/default/pods/web-1/binding";

async function send(path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  calls.length = 0;
  const response = await fetch(baseUrl + path, {
    method: init.method ?? "POST",
    headers: { authorization: "Bearer good", "content-type": "application/json", ...init.headers },
    ...(init.body !== undefined && { body: init.body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

describe("generated routes (node:http listener)", () => {
  it("hands a valid binding to the handler with parsed path, query and body, and answers 201", async () => {
    const result = await send(`${POD_BINDING}?dryRun=All&fieldManager=kube-scheduler&unknownParam=1`, { body: JSON.stringify(BINDING) });
    expect(result.status).toBe(201);
    expect(result.body).toEqual(SUCCESS);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.name).toBe("createNamespacedPodBinding");
    expect(calls[0]!.request).toEqual({ params: { namespace: "default", name: "web-1" }, query: { dryRun: "All", fieldManager: "kube-scheduler" }, body: BINDING });
    expect(calls[0]!.context.user).toEqual({ name: "scheduler" });
    expect(calls[0]!.context.token).toBe("good");
  });

  it.each([
    ["bad JSON", 400, "BadRequest", { body: "{not json" }],
    ["no token", 401, "Unauthorized", { body: JSON.stringify(BINDING), headers: { authorization: "" } }],
    ["a refused token", 401, "Unauthorized", { body: JSON.stringify(BINDING), headers: { authorization: "Bearer bad" } }],
    ["a body over maxBodyBytes", 413, "RequestEntityTooLarge", { body: JSON.stringify({ ...BINDING, metadata: { name: "x".repeat(5000) } }) }],
    ["YAML without a YAML parser", 415, "UnsupportedMediaType", { body: "target: {}", headers: { "content-type": "application/yaml" } }],
    ["a bad token on an unknown path (authentication comes first)", 401, "Unauthorized", { path: "/api/v1/namespaces/default/pods/web-1/eviction", body: "{}", headers: { authorization: "Bearer bad" } }],
    ["a bad token with the wrong method", 401, "Unauthorized", { method: "GET", headers: { authorization: "Bearer bad" } }],
    ["dryRun other than All", 400, "BadRequest", { body: JSON.stringify(BINDING), path: `${POD_BINDING}?dryRun=Some` }],
    ["a body of another kind", 400, "BadRequest", { body: JSON.stringify({ ...BINDING, kind: "Pod" }) }],
    ["the wrong method", 405, "MethodNotAllowed", { method: "GET" }],
    ["an unknown path", 404, "NotFound", { path: "/api/v1/namespaces/default/pods/web-1/eviction", body: "{}" }],
  ])("answers %s with %i %s and never calls the handler", async (_name, code, reason, init: any) => {
    const result = await send(init.path ?? POD_BINDING, init);
    expect(result.status).toBe(code);
    expect(result.body).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", code, reason });
    expect(calls).toHaveLength(0);
  });

  it("answers 422 Invalid with one cause per failing field", async () => {
    const result = await send(POD_BINDING, { body: JSON.stringify({ metadata: { name: 5, labels: { a: 1 } } }) });
    expect(result.status).toBe(422);
    expect(result.body).toMatchObject({ reason: "Invalid", code: 422, details: { kind: "Binding", name: "web-1" } });
    expect(result.body.details.causes).toEqual([
      { reason: "FieldValueTypeInvalid", message: "Invalid value: 1: must be a string", field: "metadata.labels[a]" },
      { reason: "FieldValueTypeInvalid", message: "Invalid value: 5: must be a string", field: "metadata.name" },
      { reason: "FieldValueRequired", message: "Required value", field: "target" },
    ]);
    expect(result.body.message).toBe('Binding "web-1" is invalid: [metadata.labels[a]: Invalid value: 1: must be a string, metadata.name: Invalid value: 5: must be a string, target: Required value]');
    expect(calls).toHaveLength(0);
  });

  it("rejects unknown fields with fieldValidation=Strict and warns about them by default", async () => {
    const body = JSON.stringify({ ...BINDING, target: { ...BINDING.target, nmae: "typo" } });
    const strict = await send(`${POD_BINDING}?fieldValidation=Strict`, { body });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('strict decoding error: unknown field "target.nmae"');
    const warn = await send(POD_BINDING, { body });
    expect(warn.status).toBe(201);
    expect(warn.headers.get("warning")).toBe('299 - "unknown field \\"target.nmae\\""');
  });

  it("answers 500 without the handler's message or stack when a handler throws", async () => {
    handlerError = new Error("database password is hunter2");
    try {
      const result = await send(POD_BINDING, { body: JSON.stringify(BINDING) });
      expect(result.status).toBe(500);
      expect(result.body.reason).toBe("InternalError");
      expect(JSON.stringify(result.body)).not.toMatch(/hunter2|at .*\.ts/);
    } finally {
      handlerError = undefined;
    }
  });
});

describe("generated routes (fetch handler) with the generated client", () => {
  it("serves the generated client end to end through createFetchHandler", async () => {
    const handle = generated.routes.createFetchHandler(handlers());
    const client = generated.client.createClient({ baseUrl: "http://cluster.test", fetch: (url: string, init: RequestInit) => handle(new Request(url, init)) });
    const result = await client.createNamespacedBinding({ namespace: "kube-system", body: BINDING, fieldManager: "me" });
    expect(result).toMatchObject({ status: 201, body: SUCCESS });
    expect(calls.at(-1)!.request).toEqual({ params: { namespace: "kube-system" }, query: { fieldManager: "me" }, body: BINDING });
    const error = await client.createNamespacedBinding({ namespace: "kube-system", body: { metadata: {} } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, reason: "Invalid", statusObject: { details: { causes: [{ field: "target", reason: "FieldValueRequired" }] } } });
  });
});
