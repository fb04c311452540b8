import { describe, expect, it } from "vitest";
import { negotiateOutput, parseMediaType } from "../../src/runtime/negotiate.js";
import { queryValueProblem } from "../../src/runtime/query.js";
import { requestAttributes } from "../../src/runtime/request-info.js";
import { createRouter } from "../../src/runtime/router.js";
import { type RouteTable, createFetchHandler } from "../../src/runtime/server.js";
import { nameProblems } from "../../src/runtime/validate.js";
import { timed } from "../helpers/timed.js";

/**
 * Every regex the routes apply to request data (issue 14 item 6), on 100 KB inputs shaped to make a
 * backtracking regex quadratic: long runs of what a lazy or greedy part can take, then a character that
 * makes the match fail. The budget, 1 s, leaves room for a loaded machine; linear code takes milliseconds.
 */
const N = 100_000;
const BUDGET_MS = 1000;
const spaces = " ".repeat(N);
const letters = "a".repeat(N);

describe("regexes of the routes, on 100 KB of request data", () => {
  it.each([
    // Regression: `metadata.name=` + spaces + a character took 10 s (a lazy group before `\s*$`).
    ["a field selector naming an object, then spaces and a character", () => requestAttributes("GET", "/api/v1/namespaces/a/pods", new URLSearchParams({ fieldSelector: `metadata.name=a${spaces}b` }))],
    ["a field selector of spaces around ==", () => requestAttributes("GET", "/api/v1/pods", new URLSearchParams({ fieldSelector: `${spaces}metadata.name${spaces}==${spaces}x${spaces}` }))],
    ["a media type of token characters without a slash", () => parseMediaType(letters)],
    ["a media type parameter of quotes", () => parseMediaType(`application/json;a="${'"'.repeat(N)}`)],
    ["an Accept header of many clauses", () => negotiateOutput("application/xml;q=0.5,".repeat(N / 20), { table: true }, null, undefined)],
    ["a User-Agent of letters", () => negotiateOutput(undefined, { table: false }, null, letters)],
    ["an integer of digits, then a letter", () => queryValueProblem("limit", `${"1".repeat(N)}x`, { type: "integer" })],
    ["a number of digits and a dot, then a letter", () => queryValueProblem("ratio", `${"1".repeat(N)}.${"1".repeat(N)}x`, { type: "number" })],
    ["a subdomain name of letters, then a dash", () => nameProblems(`${letters}-`, "subdomain")],
    ["a subdomain name of dotted letters, then a dash", () => nameProblems(`${"a.".repeat(N / 2)}-`, "subdomain")],
    ["a label name of dashes", () => nameProblems(`a${"-".repeat(N)}`, "label")],
  ])("%s", (_name, run) => {
    expect(timed(run)).toBeLessThan(BUDGET_MS);
  });

  it("matches a path segment of 100 KB against a mixed placeholder segment ({name}.json) in linear time", () => {
    const router = createRouter({ kinds: [{ group: "", version: "v1", kind: "Pod", type: "Pod", names: "subdomain" }], operations: { readPod: { method: "GET", path: "/api/v1/pods/{name}.json", operationId: "x", action: "get", kind: 0, query: [], status: 200 } } });
    expect(timed(() => router.match("GET", `/api/v1/pods/${letters}.jso`))).toBeLessThan(BUDGET_MS);
  });

  it("reads a bearer token of 100 KB, with spaces and then a character, in linear time", async () => {
    const table: RouteTable = { authHeader: "authorization", kinds: [], query: {}, operations: {}, shapes: {} };
    const handle = createFetchHandler(table, {}, { authenticate: () => true });
    for (const header of [`Bearer ${letters} x`, `Bearer ${spaces}x${spaces}y`, `Bearer${spaces}`]) {
      const started = performance.now();
      await handle(new Request("http://k8s.test/", { headers: { authorization: header } }));
      expect(performance.now() - started).toBeLessThan(BUDGET_MS);
    }
  });
});
