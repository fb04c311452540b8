// The runtime modules the tests expect an output to get, by what its parts and operations need: one list
// of each group, not one per test file.

/** The client core (every output with the client part). */
export const CLIENT = ["api-error", "bounded-fetch", "client", "retry", "status", "table"];
/** What watches and followed logs bring to the client (Pod and Node have them; Binding has neither). */
export const STREAMS = ["client-streams", "informer", "stream", "watch"];
/** What patch operations bring to the client (Pod and Node have them). */
export const PATCHES = ["patch"];
/** The routes part. */
export const SERVER = ["answer", "body-checks", "bounds", "json-scan", "negotiate", "path-params", "query", "request-body", "request-info", "router", "server", "status", "table", "table-answer", "validate", "watch-answer", "yaml-write"];
/** The node part. */
export const NODE = ["kubeconfig", "node", "yaml-subset"];

/** `runtime/<module>.ts` of each module of the groups, once each, in the order of their file names. */
export function runtimeModules(...groups: string[][]): string[] {
  return [...new Set(groups.flat())].map((m) => `runtime/${m}.ts`).sort();
}

/** An output of specs/binding.swagger.json with the default kind (Binding: a create, no watch, no patch) and parts. */
export const BINDING_RUNTIME = runtimeModules(CLIENT, SERVER, NODE);
