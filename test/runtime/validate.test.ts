import { describe, expect, it } from "vitest";
import type { KindSpec, NameRule } from "../../src/runtime/table.js";
import {
  type Cause,
  type Shape,
  checkBody,
  checkNamesMatch,
  checkObjectNames,
  checkTypeMeta,
  invalid,
  nameProblem,
  pathSegmentProblems,
} from "../../src/runtime/validate.js";

/** A small model of every shape type: a Thing with metadata, a spec, ports (a list of objects), and a recursive Tree. */
const shapes: Record<string, Shape> = {
  Thing: { t: "object", q: ["spec"], p: { apiVersion: { t: "string" }, kind: { t: "string" }, metadata: { t: "ref", r: "ObjectMeta" }, spec: { t: "ref", r: "ThingSpec" } } },
  ObjectMeta: { t: "object", p: { name: { t: "string" }, namespace: { t: "string" }, labels: { t: "map", v: { t: "string" } } } },
  ThingSpec: {
    t: "object",
    q: ["mode"],
    p: {
      mode: { t: "string", e: ["Fast", "Slow"] },
      replicas: { t: "integer" },
      ratio: { t: "number" },
      paused: { t: "boolean" },
      port: { t: "int-or-string" },
      tags: { t: "array", i: { t: "string" } },
      extra: { t: "any" },
      ports: { t: "array", i: { t: "ref", r: "Port" } },
      limits: { t: "map", v: { t: "int-or-string" } },
    },
  },
  Port: { t: "object", q: ["port"], p: { port: { t: "integer" }, protocol: { t: "string", e: ["TCP", "UDP"] } } },
  Tree: { t: "object", p: { child: { t: "ref", r: "Tree" } } },
};

const VALID = {
  apiVersion: "example.com/v1",
  kind: "Thing",
  metadata: { name: "a", labels: { app: "web" } },
  spec: { mode: "Fast", replicas: 3, ratio: 0.5, paused: false, port: "http", tags: ["x"], extra: { any: [1, "thing"] }, ports: [{ port: 80, protocol: "TCP" }], limits: { cpu: "500m", pods: 10 } },
};
const withSpec = (spec: Record<string, unknown>) => ({ ...VALID, spec: { ...VALID.spec, ...spec } });
const found = (problems: object[], unknown: string[]) => ({ problems: { items: problems, omitted: 0 }, unknown: { items: unknown, omitted: 0 } });
const typeInvalid = (field: string, message: string): Cause => ({ reason: "FieldValueTypeInvalid", message, field });

describe("checkBody", () => {
  it("finds nothing wrong with a valid body of every shape type", () => {
    expect(checkBody(VALID, "Thing", shapes)).toEqual(found([], []));
  });

  it.each([
    ["a string for an integer", withSpec({ replicas: "3" }), [typeInvalid("spec.replicas", 'Invalid value: "3": must be an integer')]],
    ["a fraction for an integer", withSpec({ replicas: 1.5 }), [typeInvalid("spec.replicas", "Invalid value: 1.5: must be an integer")]],
    ["a string for a number", withSpec({ ratio: "0.5" }), [typeInvalid("spec.ratio", 'Invalid value: "0.5": must be a number')]],
    ["a string for a boolean", withSpec({ paused: "false" }), [typeInvalid("spec.paused", 'Invalid value: "false": must be a boolean')]],
    ["a number for a string", { ...VALID, kind: 7 }, [typeInvalid("kind", "Invalid value: 7: must be a string")]],
    ["a fraction for an int-or-string", withSpec({ port: 80.5 }), [typeInvalid("spec.port", "Invalid value: 80.5: must be an integer or a string")]],
    ["a boolean for an int-or-string", withSpec({ port: true }), [typeInvalid("spec.port", "Invalid value: true: must be an integer or a string")]],
    ["an object for an array", withSpec({ tags: { a: 1 } }), [typeInvalid("spec.tags", 'Invalid value: {"a":1}: must be an array')]],
    ["a wrong array item, with its index", withSpec({ tags: ["ok", 2] }), [typeInvalid("spec.tags[1]", "Invalid value: 2: must be a string")]],
    ["an array for a map", { ...VALID, metadata: { labels: ["a"] } }, [typeInvalid("metadata.labels", 'Invalid value: ["a"]: must be an object')]],
    ["a wrong map value, with its key", { ...VALID, metadata: { labels: { "app.kubernetes.io/name": 1 } } }, [typeInvalid("metadata.labels[app.kubernetes.io/name]", "Invalid value: 1: must be a string")]],
    ["a wrong int-or-string map value", withSpec({ limits: { cpu: 0.5 } }), [typeInvalid("spec.limits[cpu]", "Invalid value: 0.5: must be an integer or a string")]],
    ["an array for an object", { ...VALID, spec: [] }, [typeInvalid("spec", "Invalid value: []: must be an object")]],
    ["a value outside the enum", withSpec({ mode: "Medium" }), [{ reason: "FieldValueNotSupported", message: 'Unsupported value: "Medium": supported values: "Fast", "Slow"', field: "spec.mode" }]],
    ["a missing required field", { ...VALID, spec: undefined }, [{ reason: "FieldValueRequired", message: "Required value", field: "spec" }]],
    ["a null required field", { ...VALID, spec: null }, [{ reason: "FieldValueRequired", message: "Required value", field: "spec" }]],
    ["a missing required field in an array item", withSpec({ ports: [{ port: 1 }, { protocol: "SCTP" }] }), [
      { reason: "FieldValueRequired", message: "Required value", field: "spec.ports[1].port" },
      { reason: "FieldValueNotSupported", message: 'Unsupported value: "SCTP": supported values: "TCP", "UDP"', field: "spec.ports[1].protocol" },
    ]],
    ["a long value, cut to 64 characters", withSpec({ replicas: "x".repeat(100) }), [typeInvalid("spec.replicas", `Invalid value: "${"x".repeat(63)}...: must be an integer`)]],
    ["a body that is not an object", [VALID], [typeInvalid("", `Invalid value: ${JSON.stringify([VALID]).slice(0, 64)}...: must be an object`)]],
  ])("reports %s", (_name, body, problems) => {
    expect(checkBody(JSON.parse(JSON.stringify(body)), "Thing", shapes)).toEqual(found(problems, []));
  });

  it.each([
    ["null for optional fields (not set)", withSpec({ replicas: null, tags: null, port: null, mode: "Slow" })],
    ["null items and map values", { ...withSpec({ tags: [null] }), metadata: { labels: { a: null } } }],
    ["anything for an `any` field", withSpec({ extra: [[{ deep: true }], null, "x"] })],
    ["an integral number for a number", withSpec({ ratio: 2 })],
    ["an empty map and an empty array", { ...withSpec({ tags: [], limits: {} }), metadata: { labels: {} } }],
  ])("accepts %s", (_name, body) => {
    expect(checkBody(body, "Thing", shapes)).toEqual(found([], []));
  });

  it("lists fields the model does not know, with their paths, at any depth, and still checks the known ones", () => {
    const body = JSON.parse('{"spec":{"mode":"Fast","ports":[{"port":1,"prot":"TCP"}],"replicas":"x","nmae":1},"status":{},"__proto__":{"a":1}}');
    expect(checkBody(body, "Thing", shapes)).toEqual(found([typeInvalid("spec.replicas", 'Invalid value: "x": must be an integer')], ["spec.ports[0].prot", "spec.nmae", "status", "__proto__"]));
  });

  it("does not count map keys as unknown fields", () => {
    expect(checkBody({ ...VALID, metadata: { labels: { anything: "x", constructor: "y" } } }, "Thing", shapes).unknown.items).toEqual([]);
  });

  it("checks nothing for a type it has no shape of (a body typed unknown)", () => {
    expect(checkBody("not even an object", "unknown", shapes)).toEqual(found([], []));
    expect(checkBody({}, "toString", shapes)).toEqual(found([], []));
  });

  const tree = (depth: number): unknown => (depth === 0 ? {} : { child: tree(depth - 1) });

  it("refuses a recursive model nested past the limit with one cause, instead of recursing without end", () => {
    const problems = checkBody(tree(150), "Tree", shapes).problems.items;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ reason: "FieldValueInvalid", message: "nested more than 100 levels deep" });
    // The path, 101 levels deep, is shortened to its beginning and end.
    expect(problems[0]!.field).toMatch(/^child\.child\..*\.\.\..*\.child$/);
    expect(problems[0]!.field.length).toBeLessThanOrEqual(256);
  });

  // Regression (found by these tests, fixed): each `ref` hop counts as a level, so a recursive model (JSONSchemaProps) is refused at about 50 levels of data, while the message says 100.
  it("checks a recursive model 60 levels deep, under the 100 levels the message names", () => {
    expect(checkBody(tree(60), "Tree", shapes)).toEqual(found([], []));
  });
});

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

describe("nameProblem", () => {
  it.each([
    ["subdomain", "web-1", undefined],
    ["subdomain", "a.b-c.d", undefined],
    ["subdomain", "1", undefined],
    ["subdomain", "a".repeat(253), undefined],
    ["subdomain", "a".repeat(254), "must be no more than 253 characters"],
    ["subdomain", "Web-1", SUBDOMAIN],
    ["subdomain", "-a", SUBDOMAIN],
    ["subdomain", "a-", SUBDOMAIN],
    ["subdomain", "a..b", SUBDOMAIN],
    ["subdomain", ".a", SUBDOMAIN],
    ["subdomain", "a_b", SUBDOMAIN],
    ["subdomain", "a\n", SUBDOMAIN],
    ["subdomain", "ü", SUBDOMAIN],
    ["subdomain", "", SUBDOMAIN],
    ["label", "kube-system", undefined],
    ["label", "123-abc", undefined],
    ["label", "a".repeat(63), undefined],
    ["label", "a".repeat(64), "must be no more than 63 characters"],
    ["label", "a.b", LABEL],
    ["label", "A", LABEL],
    ["label1035", "my-svc", undefined],
    ["label1035", "a".repeat(64), "must be no more than 63 characters"],
    ["label1035", "1abc", LABEL_1035],
    ["label1035", "abc-", LABEL_1035],
    ["segment", "system:controller:x", undefined],
    ["segment", "Any Thing_at.all", undefined],
    ["segment", "a/b", "may not contain '/'"],
    ["segment", "..", "may not be '..'"],
  ] as Array<[NameRule, string, string | undefined]>)("%s %j: %s", (rule, name, want) => {
    expect(nameProblem(name, rule)).toBe(want);
  });

  // Regression (found by these tests, fixed): the apiserver reports every rule a name breaks (length and pattern, '/' and '%'), one cause each; only one message comes back here.
  it.each([
    ["subdomain", "A".repeat(254), ["must be no more than 253 characters", SUBDOMAIN]],
    ["segment", "a/%", ["may not contain '/'", "may not contain '%'"]],
  ] as Array<[NameRule, string, string[]]>)("%s: a name that breaks two rules gets one cause per rule", (rule, name, messages) => {
    expect(checkObjectNames({ metadata: { name } }, rule)).toEqual(messages.map((m) => ({ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(name)}: ${m}`, field: "metadata.name" })));
  });
});

describe("pathSegmentProblems", () => {
  it.each([
    ["web-1", []],
    ["...", []],
    ["a..b", []],
    [".", ["may not be '.'"]],
    ["..", ["may not be '..'"]],
    ["a/b", ["may not contain '/'"]],
    ["100%", ["may not contain '%'"]],
    ["a/%", ["may not contain '/'", "may not contain '%'"]],
    ["a\u0000", ["may not contain control characters"]],
    ["a\tb", ["may not contain control characters"]],
    ["a\u007f", ["may not contain control characters"]],
  ])("%j: %j", (value, want) => {
    expect(pathSegmentProblems(value)).toEqual(want);
  });
});

describe("checkObjectNames", () => {
  it.each([
    ["a valid name and namespace", { metadata: { name: "web-1", namespace: "team-a" } }, "subdomain", []],
    ["an empty name (generateName) and no namespace", { metadata: { name: "", generateName: "web-" } }, "subdomain", []],
    ["names that are not strings (the shape check reports them)", { metadata: { name: 5, namespace: false } }, "subdomain", []],
    ["no metadata", {}, "subdomain", []],
    ["a null body", null, "subdomain", []],
    ["a subdomain name with upper case", { metadata: { name: "Web" } }, "subdomain", [{ reason: "FieldValueInvalid", message: `Invalid value: "Web": ${SUBDOMAIN}`, field: "metadata.name" }]],
    ["a namespace, always a label", { metadata: { name: "a.b", namespace: "a.b" } }, "subdomain", [{ reason: "FieldValueInvalid", message: `Invalid value: "a.b": ${LABEL}`, field: "metadata.namespace" }]],
    ["a Namespace's name, a label", { metadata: { name: "a.b" } }, "label", [{ reason: "FieldValueInvalid", message: `Invalid value: "a.b": ${LABEL}`, field: "metadata.name" }]],
    ["a Service's name, a DNS-1035 label", { metadata: { name: "1st" } }, "label1035", [{ reason: "FieldValueInvalid", message: `Invalid value: "1st": ${LABEL_1035}`, field: "metadata.name" }]],
    ["an RBAC name, any path segment", { metadata: { name: "system:node:a" } }, "segment", []],
    ["an RBAC name with a slash", { metadata: { name: "a/b" } }, "segment", [{ reason: "FieldValueInvalid", message: `Invalid value: "a/b": may not contain '/'`, field: "metadata.name" }]],
    ["both at once, name first", { metadata: { name: "X", namespace: "Y" } }, "label", [
      { reason: "FieldValueInvalid", message: `Invalid value: "X": ${LABEL}`, field: "metadata.name" },
      { reason: "FieldValueInvalid", message: `Invalid value: "Y": ${LABEL}`, field: "metadata.namespace" },
    ]],
  ] as Array<[string, unknown, NameRule, Cause[]]>)("%s", (_name, body, rule, want) => {
    expect(checkObjectNames(body, rule)).toEqual(want);
  });
});

const CORE: KindSpec = { group: "", version: "v1", kind: "Binding", type: "Binding", names: "subdomain" };
const APPS: KindSpec = { group: "apps", version: "v1", kind: "Deployment", type: "Deployment", names: "subdomain" };

describe("checkTypeMeta", () => {
  it.each([
    ["a core kind that says nothing", CORE, {}, undefined],
    ["a core kind with its own kind and v1", CORE, { kind: "Binding", apiVersion: "v1" }, undefined],
    ["a grouped kind with group/version", APPS, { kind: "Deployment", apiVersion: "apps/v1" }, undefined],
    ["another kind", CORE, { kind: "Pod" }, 'Pod in version "v1" cannot be handled as a Binding: no kind "Pod" is registered for version "v1"'],
    ["a kind in other case", CORE, { kind: "binding" }, 'binding in version "v1" cannot be handled as a Binding: no kind "binding" is registered for version "v1"'],
    ["a wrong literal (issue 10: { apiVersion: \"v2\", kind: \"Pdo\" })", CORE, { kind: "Pdo", apiVersion: "v2" }, 'Pdo in version "v2" cannot be handled as a Binding: no kind "Pdo" is registered for version "v2"'],
    ["a core kind with a group", CORE, { apiVersion: "core/v1" }, 'Binding in version "v1" cannot be handled as a Binding: no kind "Binding" is registered for version "core/v1"'],
    ["a grouped kind without its group", APPS, { kind: "Deployment", apiVersion: "v1" }, 'Deployment in version "v1" cannot be handled as a Deployment: no kind "Deployment" is registered for version "v1"'],
    ["another version of the group", APPS, { apiVersion: "apps/v1beta1" }, 'Deployment in version "v1beta1" cannot be handled as a Deployment: no kind "Deployment" is registered for version "apps/v1beta1"'],
    ["a kind of another group: the create handler's words", APPS, { kind: "Pod", apiVersion: "v1" }, "the API version in the data (v1) does not match the expected API version (apps/v1)"],
  ])("%s", (_name, kind, body, want) => {
    expect(checkTypeMeta(body, kind)).toBe(want);
  });
});

describe("checkNamesMatch", () => {
  const NAMESPACE = "the namespace of the provided object does not match the namespace sent on the request";
  it.each([
    ["create: same namespace", { metadata: { namespace: "a" } }, { namespace: "a" }, false, undefined],
    ["create: another namespace", { metadata: { namespace: "b" } }, { namespace: "a" }, false, NAMESPACE],
    ["create: another name than the path's (left to the handler)", { metadata: { name: "x" } }, { namespace: "a", name: "y" }, false, undefined],
    ["update: another name than the path's", { metadata: { name: "x" } }, { namespace: "a", name: "y" }, true, "the name of the object (x) does not match the name on the URL (y)"],
    ["update: same name", { metadata: { name: "y", namespace: "a" } }, { namespace: "a", name: "y" }, true, undefined],
    ["update: both wrong, the namespace named first", { metadata: { name: "x", namespace: "b" } }, { namespace: "a", name: "y" }, true, NAMESPACE],
    ["an empty namespace and name (not set)", { metadata: { name: "", namespace: "" } }, { namespace: "a", name: "y" }, true, undefined],
    ["a cluster-scoped path (no namespace parameter)", { metadata: { namespace: "b" } }, {}, true, undefined],
    ["no metadata", {}, { namespace: "a", name: "y" }, true, undefined],
    ["a null body", null, { namespace: "a", name: "y" }, true, undefined],
  ] as Array<[string, unknown, Record<string, string>, boolean, string | undefined]>)("%s", (_name, body, params, checkName, want) => {
    expect(checkNamesMatch(body, params, checkName)).toBe(want);
  });
});

describe("invalid", () => {
  const causes: Cause[] = [
    { reason: "FieldValueRequired", message: "Required value", field: "target" },
    { reason: "FieldValueTypeInvalid", message: "Invalid value: 5: must be a string", field: "metadata.name" },
    { reason: "FieldValueTypeInvalid", message: "Invalid value: []: must be an object", field: "" },
  ];

  it("is a 422 Invalid Status with the causes sorted by field, named from metadata.name", () => {
    expect(invalid("Binding", "", { metadata: { name: "web-1" } }, { name: "from-path" }, causes)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'Binding "web-1" is invalid: [<body>: Invalid value: []: must be an object, metadata.name: Invalid value: 5: must be a string, target: Required value]',
      reason: "Invalid",
      details: { name: "web-1", group: "", kind: "Binding", causes: [causes[2], causes[1], causes[0]] },
      code: 422,
    });
  });

  it.each([
    ["the path's name when metadata.name is not a string", { metadata: { name: 5 } }, { name: "from-path" }, "from-path"],
    ["the path's name for a null body", null, { name: "from-path" }, "from-path"],
    ["an empty name when neither says one", {}, {}, ""],
  ])("takes %s", (_name, body, params, name) => {
    const status = invalid("Deployment", "apps", body, params, [causes[0]!]);
    expect(status.message).toBe(`Deployment ${JSON.stringify(name)} is invalid: target: Required value`);
    expect(status.details).toEqual({ name, group: "apps", kind: "Deployment", causes: [causes[0]] });
  });

  it("leaves the caller's causes in their order", () => {
    const mine = [...causes];
    invalid("Binding", "", {}, {}, mine);
    expect(mine).toEqual(causes);
  });
});
