import { describe, expect, it } from "vitest";
import { parseYamlSubset } from "../../src/runtime/yaml-subset.js";

/** What `kubectl config view --raw` writes for a kind cluster (data shortened). */
const KUBECTL = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTg==
    server: https://127.0.0.1:40503
  name: kind-dev
contexts:
- context:
    cluster: kind-dev
    namespace: team-a
    user: kind-dev
  name: kind-dev
current-context: kind-dev
kind: Config
preferences: {}
users:
- name: kind-dev
  user:
    client-certificate-data: LS0tLS1DRVJU
    client-key-data: LS0tLS1LRVk=
`;

/** What minikube writes: extensions, a date with a comma and colons, an indented sequence. */
const MINIKUBE = `apiVersion: v1
clusters:
  - cluster:
      certificate-authority: /home/me/.minikube/ca.crt
      extensions:
        - extension:
            last-update: Mon, 01 Jan 2024 10:00:00 CET
            provider: minikube.sigs.k8s.io
            version: v1.32.0
          name: cluster_info
      server: https://192.168.49.2:8443
    name: minikube
`;

describe("parseYamlSubset", () => {
  it("reads kubectl's kubeconfig", () => {
    expect(parseYamlSubset(KUBECTL)).toEqual({
      apiVersion: "v1",
      clusters: [{ cluster: { "certificate-authority-data": "LS0tLS1CRUdJTg==", server: "https://127.0.0.1:40503" }, name: "kind-dev" }],
      contexts: [{ context: { cluster: "kind-dev", namespace: "team-a", user: "kind-dev" }, name: "kind-dev" }],
      "current-context": "kind-dev",
      kind: "Config",
      preferences: {},
      users: [{ name: "kind-dev", user: { "client-certificate-data": "LS0tLS1DRVJU", "client-key-data": "LS0tLS1LRVk=" } }],
    });
  });

  it("reads minikube's kubeconfig, its sequences indented under their keys", () => {
    expect(parseYamlSubset(MINIKUBE)).toEqual({
      apiVersion: "v1",
      clusters: [
        {
          cluster: {
            "certificate-authority": "/home/me/.minikube/ca.crt",
            extensions: [{ extension: { "last-update": "Mon, 01 Jan 2024 10:00:00 CET", provider: "minikube.sigs.k8s.io", version: "v1.32.0" }, name: "cluster_info" }],
            server: "https://192.168.49.2:8443",
          },
          name: "minikube",
        },
      ],
    });
  });

  it.each([
    ["an empty text", "", {}],
    ["only comments and blank lines", "# nothing\n\n   # here\n", {}],
    ["a leading document marker", "---\na: b\n", { a: "b" }],
    ["Windows line endings", "a: b\r\nc:\r\n- d\r\n", { a: "b", c: ["d"] }],
    ["a URL with a port and a fragment", "server: https://h:6443/x#y\n", { server: "https://h:6443/x#y" }],
    ["a comment after a value", "a: b # note\n", { a: "b" }],
    ["a # inside a plain value", "a: b#c\n", { a: "b#c" }],
    ["a # inside quotes", "a: 'b # c'\nd: \"e # f\"\n", { a: "b # c", d: "e # f" }],
    ["single quotes with a doubled quote", "a: 'it''s'\n", { a: "it's" }],
    ["double quotes with escapes", 'a: "tab\\tline\\nquote\\" \\u00fc"\n', { a: 'tab\tline\nquote" ü' }],
    ["quoted keys", "\"a b\": 1\n'c:d': 2\n", { "a b": "1", "c:d": "2" }],
    ["null, ~ and an empty value as null", "a: null\nb: ~\nc:\nd: x\n", { a: null, b: null, c: null, d: "x" }],
    ["true and false as booleans, other words as text", "a: true\nb: false\nc: True\nd: yes\n", { a: true, b: false, c: "True", d: "yes" }],
    ["numbers as text", "port: 6443\nratio: 0.5\n", { port: "6443", ratio: "0.5" }],
    ["quoted null and true as text", "a: 'null'\nb: \"true\"\n", { a: "null", b: "true" }],
    ["empty flow collections", "a: {}\nb: []\n", { a: {}, b: [] }],
    ["a sequence at its key's indentation", "a:\n- x\n- y\nb: z\n", { a: ["x", "y"], b: "z" }],
    ["a sequence indented under its key", "a:\n  - x\n  - y\nb: z\n", { a: ["x", "y"], b: "z" }],
    ["items that are mappings, keys lined up after the dash", "a:\n-   k: 1\n    j: 2\n- k: 3\n", { a: [{ k: "1", j: "2" }, { k: "3" }] }],
    ["an item whose mapping starts on the next line", "a:\n-\n  k: 1\n", { a: [{ k: "1" }] }],
    ["an empty item as null", "a:\n-\n- b\n", { a: [null, "b"] }],
    ["a top-level sequence", "- a\n- b: c\n", ["a", { b: "c" }]],
    ["an item that starts with a dash", "args:\n- --region\n- -v\n", { args: ["--region", "-v"] }],
    ["a key that starts with a dash", "-k: v\n", { "-k": "v" }],
    ["tabs inside a value", "a: b\tc\n", { a: "b\tc" }],
    ["deep nesting", "a:\n  b:\n    c:\n      d: e\n", { a: { b: { c: { d: "e" } } } }],
  ])("reads %s", (_name, text, want) => {
    expect(parseYamlSubset(text)).toEqual(want);
  });

  it.each([
    ["an anchor", "a: 1\nb: &x 2\n", "line 2: \"&x 2\": flow collections, anchors, aliases, tags and block scalars are not supported in kubeconfig files here"],
    ["an alias", "a:\n  b: *x\n", "line 2: \"*x\": flow collections, anchors, aliases, tags and block scalars are not supported in kubeconfig files here"],
    ["a tag", "a: !!str 1\n", "line 1: \"!!str 1\": flow collections, anchors, aliases, tags and block scalars are not supported in kubeconfig files here"],
    ["a literal block scalar", "a: |\n  text\n", "line 1: \"|\": flow collections, anchors, aliases, tags and block scalars are not supported in kubeconfig files here"],
    ["a folded block scalar", "x: 1\na: >-\n  text\n", "line 2: \">-\": flow collections, anchors, aliases, tags and block scalars are not supported in kubeconfig files here"],
    ["a flow mapping with content", "a: {b: 1}\n", "line 1: \"{b: 1}\": flow collections, anchors, aliases, tags and block scalars are not supported in kubeconfig files here"],
    ["a flow sequence with content", "a:\n- [1, 2]\n", "line 2: \"[1, 2]\": flow collections, anchors, aliases, tags and block scalars are not supported in kubeconfig files here"],
    ["a directive", "%YAML 1.2\n", 'line 1: expected "key: value"'],
    ["a second document", "a: 1\n---\nb: 2\n", 'line 2: expected "key: value"'],
    ["a line that is not key: value", "a: 1\njust text\n", 'line 2: expected "key: value"'],
    ["an item among keys", "a: 1\n- b\n", 'line 2: expected "key: value"'],
    ["a key deeper than its siblings", "a: 1\n  b: 2\n", "line 2: unexpected indentation"],
    ["a key shallower than its siblings, inside", "a:\n    b: 1\n  c: 2\n", "line 3: unexpected indentation"],
    ["an item deeper than its siblings", "a:\n- x\n  - y\n", "line 3: unexpected indentation"],
    ["a tab for indentation", "a:\n\tb: 1\n", "line 2: tabs are not allowed for indentation"],
    ["an unterminated single-quoted value", "a: 'open\n", "line 1: unterminated single-quoted string"],
    ["a double-quoted value with a YAML-only escape", 'a: "\\x41"\n', 'line 1: unsupported double-quoted string "\\x41"'],
    ["the line of a refusal after blank and comment lines", "# c\n\na: 1\n\n# d\nb: &x 2\n", "line 6: \"&x 2\": flow collections, anchors, aliases, tags and block scalars are not supported in kubeconfig files here"],
  ])("refuses %s, naming the line", (_name, text, message) => {
    expect(() => parseYamlSubset(text)).toThrow(message);
  });

  // Regression (found by these tests, fixed): `mapping[key] = value` with the key __proto__ sets the mapping's prototype: the key vanishes and its values show up as inherited properties.
  it("keeps a __proto__ key as an own property, touching no prototype", () => {
    const value = parseYamlSubset("__proto__:\n  current-context: evil\nkind: Config\n") as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(value["current-context"]).toBeUndefined();
    expect(Object.entries(value)).toEqual([["__proto__", { "current-context": "evil" }], ["kind", "Config"]]);
  });
});
