import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/runtime/client.js";
import { fileToken, inCluster, nodeFetch } from "../../src/runtime/node.js";

/** What test/node-transport.test.ts does not cover: the token cache, inCluster's edges, and nodeFetch over plain http. */
const root = mkdtempSync(join(tmpdir(), "gen-binding-node-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `f-${++n}`);

describe("fileToken", () => {
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  it("reads the file trimmed, and again only when its size or modification time changes", () => {
    const path = fresh();
    writeFileSync(path, "  aaaa\n");
    at(path, 1_000_000);
    const token = fileToken(path);
    expect(token()).toBe("aaaa");
    writeFileSync(path, "  bbbb\n");
    at(path, 1_000_000);
    expect(token()).toBe("aaaa"); // same size, same time: the cached token
    at(path, 1_000_001);
    expect(token()).toBe("bbbb");
    writeFileSync(path, "longer-token");
    at(path, 1_000_001);
    expect(token()).toBe("longer-token");
  });

  // Regression (issue 14: fileToken returned "" while the file was being rewritten in place, and the request went out with no Authorization).
  it("keeps the last token it read while a writer truncates the file, then writes it again", () => {
    const path = fresh();
    writeFileSync(path, "first-token\n");
    const token = fileToken(path);
    expect(token()).toBe("first-token");
    writeFileSync(path, "");
    expect(token()).toBe("first-token");
    writeFileSync(path, "  \n");
    expect(token()).toBe("first-token");
    writeFileSync(path, "second-token\n");
    expect(token()).toBe("second-token");
  });

  it("keeps the last token it read while the file is missing", () => {
    const path = fresh();
    writeFileSync(path, "first-token");
    const token = fileToken(path);
    expect(token()).toBe("first-token");
    rmSync(path);
    expect(token()).toBe("first-token");
  });

  it("reads a token that kubelet renames into place", () => {
    const path = fresh();
    writeFileSync(path, "first-token");
    const token = fileToken(path);
    expect(token()).toBe("first-token");
    writeFileSync(`${path}.tmp`, "second-token-of-another-length");
    renameSync(`${path}.tmp`, path);
    expect(token()).toBe("second-token-of-another-length");
  });

  it("fails, naming the file, when it is empty before a token was ever read; the call fails and sends nothing", async () => {
    const path = fresh();
    writeFileSync(path, "\n");
    expect(() => fileToken(path)()).toThrow(`the token file ${path} is empty`);
    const sent: unknown[] = [];
    const client = createClient<{ readVersion: () => Promise<unknown> }>(
      { authHeader: "authorization", query: {}, operations: { readVersion: { method: "GET", path: "/version", operationId: "getCodeVersion", action: "get", kind: 0, query: [], status: 200 } } },
      { baseUrl: "https://k8s.test", token: fileToken(path), fetch: async (url) => (sent.push(url), Response.json({})) },
    );
    await expect(client.readVersion()).rejects.toMatchObject({ status: 0, message: `GET /version: could not get the bearer token: the token file ${path} is empty` });
    expect(sent).toEqual([]);
  });

  it("fails with the path when the file is missing, and recovers once it is back", () => {
    const path = fresh();
    const token = fileToken(path);
    expect(() => token()).toThrow(path);
    writeFileSync(path, "back");
    expect(token()).toBe("back");
  });
});

describe("inCluster", () => {
  const serviceAccount = (files: Record<string, string>) => {
    const dir = fresh();
    mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  const env = (host: string) => ({ KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: "443" });

  it.each([
    ["an IPv4 host", "10.96.0.1", "https://10.96.0.1:443"],
    ["an IPv6 host, in brackets", "fd00:10:96::1", "https://[fd00:10:96::1]:443"],
  ])("reaches %s", (_name, host, baseUrl) => {
    const dir = serviceAccount({ token: "t\n", "ca.crt": "ca", namespace: "  kube-system\n" });
    expect(inCluster({ dir, env: env(host) })).toMatchObject({ baseUrl, namespace: "kube-system" });
  });

  it("has no namespace when the service account has none", () => {
    const options = inCluster({ dir: serviceAccount({ token: "t", "ca.crt": "ca" }), env: env("10.96.0.1") });
    expect(Object.hasOwn(options, "namespace")).toBe(false);
  });

  it("fails at once, naming the file, when the token is missing", () => {
    const dir = serviceAccount({ "ca.crt": "ca" });
    expect(() => inCluster({ dir, env: env("10.96.0.1") })).toThrow(join(dir, "token"));
  });

  it("fails when the port is missing", () => {
    expect(() => inCluster({ dir: root, env: { KUBERNETES_SERVICE_HOST: "10.96.0.1" } })).toThrow("inCluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set");
  });
});

describe("nodeFetch over plain http", () => {
  let server: Server;
  let base = "";
  const seen: Array<{ method: string | undefined; headers: IncomingMessage["headers"]; body: string }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        seen.push({ method: request.method, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        if (request.url === "/empty") {
          response.writeHead(204).end();
          return;
        }
        response.writeHead(201, "Made It", [["Content-Type", "application/json"], ["Warning", '299 - "one"'], ["Warning", '299 - "two"']]);
        response.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sends the method, the headers and the body with its length in bytes, and answers with status, text, every header and the body", async () => {
    const response = await nodeFetch()(`${base}/x`, { method: "POST", headers: { "Content-Type": "application/json", "X-Team": "a" }, body: '{"name":"é"}' });
    expect(seen.at(-1)).toMatchObject({ method: "POST", body: '{"name":"é"}', headers: { "content-type": "application/json", "x-team": "a", "content-length": "13" } });
    expect([response.status, response.statusText, response.headers.get("warning"), await response.json()]).toEqual([201, "Made It", '299 - "one", 299 - "two"', { ok: true }]);
  });

  it("sends Uint8Array bodies as they are", async () => {
    await nodeFetch()(`${base}/x`, { method: "PUT", body: new Uint8Array([0x7b, 0x7d]) });
    expect(seen.at(-1)).toMatchObject({ method: "PUT", body: "{}", headers: { "content-length": "2" } });
  });

  it("sends GET without a body or a length", async () => {
    await nodeFetch()(`${base}/x`, {});
    expect(seen.at(-1)!.method).toBe("GET");
    expect(seen.at(-1)!.headers["content-length"]).toBeUndefined();
  });

  it("answers 204 with no body", async () => {
    const response = await nodeFetch()(`${base}/empty`, { method: "DELETE" });
    expect([response.status, response.body, await response.text()]).toEqual([204, null, ""]);
  });

  it("refuses, before connecting, a body that is neither a string nor a Uint8Array", async () => {
    const before = seen.length;
    await expect(nodeFetch()(`${base}/x`, { method: "POST", body: new URLSearchParams("a=1") })).rejects.toThrow(new TypeError("nodeFetch sends string or Uint8Array bodies only"));
    expect(seen.length).toBe(before);
  });

  // Regression (issue 14): nodeFetch queued every byte the server sent, read or not: a watch whose reader
  // falls behind a fast server grew without bound. Now it stops reading the socket when a MiB is queued.
  it("reads no further ahead of its reader than a few MiB: the server waits", async () => {
    const huge = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(1024 * 1024, " ");
      const more = () => {
        while (!response.destroyed && written < 128 * 1024 * 1024) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", more);
        }
        response.end();
      };
      more();
    });
    let written = 0;
    await new Promise<void>((resolve) => huge.listen(0, "127.0.0.1", resolve));
    try {
      const answer = await nodeFetch()(`http://127.0.0.1:${(huge.address() as AddressInfo).port}/`, {});
      // Until the count stops growing (or 3 s): a reader that does not read.
      for (let last = -1, i = 0; written !== last && i < 30; i++) {
        last = written;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(written).toBeLessThan(32 * 1024 * 1024);
      const reader = answer.body!.getReader();
      expect((await reader.read()).value?.byteLength).toBeGreaterThan(0);
      await reader.cancel();
    } finally {
      huge.closeAllConnections();
      huge.close();
    }
  });

  it("rejects with the signal's reason, before connecting, when the signal has already aborted", async () => {
    const before = seen.length;
    const reason = new Error("gave up");
    await expect(nodeFetch()(`${base}/x`, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(seen.length).toBe(before);
  });
});
