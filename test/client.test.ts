import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGenerated } from "./helpers/generated.js";
import { jsonAnswer, listenLoopback, refusedUrl, scriptedServer, stopServer } from "./helpers/loopback.js";

/** A loopback server whose answer each test sets; it records what the client sent. */
const { server, seen, serve } = scriptedServer();
let baseUrl = "";
let generated: Awaited<ReturnType<typeof loadGenerated>>;

beforeAll(async () => {
  generated = await loadGenerated();
  baseUrl = await listenLoopback(server);
});
afterAll(() => stopServer(server));

const json = (status: number, body: unknown, type = "application/json") => jsonAnswer(status, body, { "content-type": type });
const BINDING = { apiVersion: "v1", kind: "Binding", metadata: { name: "web-1" }, target: { kind: "Node", name: "node-a" } };
const SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };

describe("generated client", () => {
  it("accepts the Status a real apiserver answers a binding with, and gives its HTTP status", async () => {
    serve(json(201, SUCCESS));
    const client = generated.client.createClient({ baseUrl, token: "s3cret" });
    const result = await client.createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING });
    expect(result.status).toBe(201);
    expect(result.body).toEqual(SUCCESS);
    expect(generated.client.isStatus(result.body)).toBe(true);
  });

  it("sends the method, encoded path, only the given query values, JSON body and bearer token", async () => {
    serve(json(201, BINDING));
    const client = generated.client.createClient({ baseUrl: `${baseUrl}/`, token: () => "rotating", headers: { "x-team": "sched" } });
    const result = await client.createNamespacedPodBinding({ namespace: "team a", name: "web/1", body: BINDING, dryRun: "All", fieldValidation: "Strict" });
    expect(result).toMatchObject({ status: 201, body: BINDING });
    const [request] = seen;
    expect(request!.method).toBe("POST");
    expect(request!.url).toBe("/api/v1/namespaces/team%20a/pods/web%2F1/binding?dryRun=All&fieldValidation=Strict");
    expect(request!.headers["authorization"]).toBe("Bearer rotating");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["accept"]).toBe("application/json");
    expect(request!.headers["x-team"]).toBe("sched");
    expect(JSON.parse(request!.body)).toEqual(BINDING);
  });

  it("lets init carry headers and an abort signal", async () => {
    serve(() => undefined); // never answers
    const client = generated.client.createClient({ baseUrl });
    const controller = new AbortController();
    const pending = client.createNamespacedBinding({ namespace: "default", body: BINDING }, { signal: controller.signal, headers: { "x-trace": "1" } });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "ApiError", status: 0, message: "POST /api/v1/namespaces/{namespace}/bindings: aborted".replace("{namespace}/bindings", "default/bindings") });
  });

  it("throws ApiError with the HTTP status and the parsed Status on errors", async () => {
    const conflict = { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Conflict", code: 409, message: 'pod web-1 is already assigned to node "node-b"', details: { name: "web-1", kind: "pods/binding" } };
    serve(json(409, conflict));
    const client = generated.client.createClient({ baseUrl });
    const error = await client.createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(generated.client.ApiError);
    expect(error).toMatchObject({ status: 409, reason: "Conflict", statusObject: conflict, body: undefined });
    expect(error.message).toBe('POST /api/v1/namespaces/default/pods/web-1/binding: 409 Conflict: pod web-1 is already assigned to node "node-b"');
  });

  it("keeps the raw text when an error body is not a Status", async () => {
    serve(json(502, "<html>bad gateway</html>", "text/html"));
    const client = generated.client.createClient({ baseUrl });
    const error = await client.createNamespacedBinding({ namespace: "default", body: BINDING }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ApiError", status: 502, statusObject: undefined, body: "<html>bad gateway</html>" });
  });

  it("gives up after timeoutMs with a clear message", async () => {
    serve(() => undefined);
    const client = generated.client.createClient({ baseUrl, timeoutMs: 100 });
    await expect(client.createNamespacedBinding({ namespace: "default", body: BINDING })).rejects.toMatchObject({
      status: 0,
      message: "POST /api/v1/namespaces/default/bindings: no answer within 100 ms",
    });
  });

  it("reports a refused connection as ApiError with status 0", async () => {
    const client = generated.client.createClient({ baseUrl: await refusedUrl() });
    await expect(client.createNamespacedBinding({ namespace: "default", body: BINDING })).rejects.toMatchObject({ status: 0, message: expect.stringContaining("ECONNREFUSED") });
  });

  it("refuses path values that would change the path", async () => {
    const client = generated.client.createClient({ baseUrl });
    await expect(client.createNamespacedPodBinding({ namespace: "default", name: "..", body: BINDING })).rejects.toMatchObject({ status: 0, message: 'name must be a non-empty name other than "." and ".."' });
  });
});
