import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { kubeconfigTransport } from "../../src/fetch.js";
import { ApiError, escapeControls, excerpt } from "../../src/runtime/api-error.js";
import { type ClientTable, createClient } from "../../src/runtime/client.js";
import { retryAfterMs } from "../../src/runtime/retry.js";
import { parseYamlSubset } from "../../src/runtime/yaml-subset.js";
import { timed } from "../helpers/timed.js";

/**
 * Every regex the client side applies to what a caller, a server or a kubeconfig hands it, on 100 KB
 * inputs shaped to make a backtracking regex quadratic (long runs of what a lazy or greedy part can take,
 * then a character that makes the match fail). Linear code answers in milliseconds; the quadratic code this
 * replaced took 4 to 10 s per input here. The budget, 1 s, leaves room for a loaded machine.
 */
const N = 100_000;
const BUDGET_MS = 1000;
const spaces = " ".repeat(N);

describe("the kubeconfig YAML reader", () => {
  // Regression (issue 14: "its plain-key regex is quadratic (100 KB line: 4.1 s)"); 10.7 s here for the second line.
  it.each([
    ["a key, spaces, no colon", `a${spaces}b`],
    ["a key, spaces, a colon later", `a${spaces}b: c`],
    ["a key with a colon in it after spaces", `a${spaces}:b`],
    ["a value of spaces with a line separator", `a: x${spaces}\u2028${spaces}y`],
    ["a quoted key, spaces, no colon", `"a"${spaces}b`],
    ["a quoted key whose value holds a line separator", `"a": x${spaces}\u2028y`],
    ["an unterminated double-quoted key of escapes", `"${"\\a".repeat(N / 2)}`],
    ["an unterminated single-quoted value of doubled quotes", `a: '${"''".repeat(N / 2)}x`],
    ["a key of dashes", `-${"-".repeat(N)}`],
    ["spaces, then a tab", `${spaces}\tx: y`],
    ["a comment after many quotes", `a: b${" 'x".repeat(N / 3)} # c`],
    ["an item of spaces", `- ${spaces}x`],
  ])("reads or refuses %s in linear time", (_name, line) => {
    expect(timed(() => parseYamlSubset(`${line}\n`))).toBeLessThan(BUDGET_MS);
  });

  it("still reads the long lines it can read, whole", () => {
    expect(parseYamlSubset(`a${spaces}: b${spaces}c\n`)).toEqual({ a: `b${spaces}c` });
    expect(parseYamlSubset(`"k"${spaces}: v\n`)).toEqual({ k: "v" });
  });
});

describe("the client", () => {
  const table: ClientTable = { authHeader: "authorization", query: {}, operations: { readLog: { method: "GET", path: "/log", operationId: "readLog", action: "get", kind: 0, query: [], status: 200, answer: "text" } } };
  const call = (baseUrl: string, answer: Response) =>
    createClient<{ readLog: () => Promise<{ body: unknown }> }>(table, { baseUrl, fetch: async () => answer }).readLog();

  // The baseUrl strip (issue 14: "100k slashes: 3.6 s"), fixed when the runtime moved into modules; here so it stays fixed.
  it("joins a base URL with a long run of slashes in linear time", async () => {
    const started = performance.now();
    await call(`https://k8s.test${"/".repeat(N)}x${"/".repeat(N)}`, new Response("ok"));
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
  });

  it("reads a long Content-Type and a long Retry-After in linear time", async () => {
    const started = performance.now();
    await call("https://k8s.test", new Response('"ok"', { headers: { "content-type": `application/json${spaces}x` } }));
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
    for (const value of [`1${spaces}x`, `${spaces}1${spaces}`, `${"1".repeat(N)}x`, `${spaces}Mon${spaces}`]) expect(timed(() => retryAfterMs(value))).toBeLessThan(BUDGET_MS);
  });

  it("shortens and escapes a long message in linear time", () => {
    const text = "\u001b[2K\r\n\u2028".repeat(N / 5);
    expect(timed(() => new ApiError(excerpt(text, N), { status: 0 }))).toBeLessThan(BUDGET_MS);
    expect(escapeControls("a\u0000b\u009bc\u202ed")).toBe("a\\u0000b\\u009bc\\u202ed");
  });

  it("refuses a redirect to a 100 KB location in linear time", async () => {
    const started = performance.now();
    const moved = new Response(null, { status: 302, headers: { location: `https://elsewhere.test/${"a/".repeat(N / 2)}` } });
    await expect(call("https://k8s.test", moved)).rejects.toMatchObject({ status: 302 });
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
  });
});

describe("the generator's reading of a kubeconfig (src/fetch.ts)", () => {
  const dir = mkdtempSync(join(tmpdir(), "gen-binding-linear-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Regression (issue 14): src/fetch.ts stripped the server's trailing slashes with /\/+$/, 8.4 s on this server.
  it("takes the kubeconfig's server with a long run of slashes in linear time", () => {
    const server = `https://c.test${"/".repeat(N)}x`;
    const file = join(dir, "config");
    writeFileSync(file, JSON.stringify({ "current-context": "x", clusters: [{ name: "c", cluster: { server } }], contexts: [{ name: "x", context: { cluster: "c" } }] }));
    const started = performance.now();
    expect(kubeconfigTransport(file, undefined).server).toBe(server);
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
  });
});
