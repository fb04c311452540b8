import { GenBindingError } from "./errors.js";
import type { Transport } from "./fetch.js";
import type { KindQuery } from "./gvk.js";
import { type FetchBytes, type LoadedDocument, type SwaggerDocument, isUrl, readSpec, toLoadedDocument } from "./load.js";
import { mergeDocuments } from "./merge.js";

/** Where the documents come from: the `--spec`, `--from-cluster`, `--kubeconfig`, `--context` and `--timeout` of a run. */
export interface SpecOptions {
  /** Paths, http(s) URLs (a document, or a cluster's `/openapi/v3` index), or `-` for standard input. */
  spec?: string | readonly string[] | undefined;
  /** The current kubeconfig context's server (or `context`'s), its `/openapi/v3`. */
  fromCluster?: boolean | undefined;
  /** The kubeconfig file whose server, CA, client certificate and token are used. */
  kubeconfig?: string | undefined;
  context?: string | undefined;
  /** Longest wait for one fetched document (default 30 s). */
  timeoutMs?: number | undefined;
  stdin?: NodeJS.ReadableStream | undefined;
}

/** The documents of a run, merged into one, and the kinds to select from it. */
export interface LoadedSpecs {
  document: SwaggerDocument;
  /** For messages: the source, the sources comma-separated, or the cluster's index URL. */
  origin: string;
  /** The kinds asked for; from a cluster, each as the group/version/Kind it was found as. */
  queries: KindQuery[];
  /** True when every document was OpenAPI 3 (messages then point into `components`, not `definitions`). */
  openapi3: boolean;
}

/**
 * Reads every source, fetches from a cluster only what the kinds need, and merges the documents into one
 * (shared definitions once, conflicting ones refused). Fails with a one-line {@link GenBindingError}.
 */
export async function loadSpecs(options: SpecOptions, queries: readonly KindQuery[]): Promise<LoadedSpecs> {
  if (options.fromCluster && options.spec !== undefined && options.spec.length > 0) throw new GenBindingError("give --spec or --from-cluster, not both");
  const specs = options.fromCluster ? [] : specList(options.spec);
  if (!options.fromCluster && !specs.some(isUrl)) {
    if (options.kubeconfig !== undefined || options.context !== undefined) throw new GenBindingError("--kubeconfig and --context are for --from-cluster or a URL --spec (https://<server>/openapi/v3)");
    const documents = await Promise.all(specs.map(async (spec) => toLoadedDocument(await readSpec(spec, options.stdin ?? process.stdin))));
    return merged(documents, documents.map((d) => d.origin).join(", "), [...queries]);
  }
  // The network modules (node:https, the kubeconfig reader) are loaded only for runs that fetch.
  const [{ fetchBytes }, { loadClusterDocuments, readIndex }] = await Promise.all([import("./fetch.js"), import("./cluster.js")]);
  const transport = await chooseTransport(options, specs);
  if (options.fromCluster) specs.push(`${transport.server}/openapi/v3`);
  // When one fetch fails the run is over: the others are cancelled, so that the process ends now.
  const cancel = new AbortController();
  const fetchOne: FetchBytes = (url) => fetchBytes(url, transport, cancel.signal);
  try {
    const parsed = await Promise.all(specs.map((spec) => readSpec(spec, options.stdin ?? process.stdin, fetchOne)));
    const indexes = parsed.map((source) => (isUrl(source.origin) ? readIndex(source.value, source.origin) : undefined));
    const clusterAt = indexes.findIndex((index) => index !== undefined);
    if (clusterAt === -1) {
      const documents = parsed.map(toLoadedDocument);
      return merged(documents, documents.map((d) => d.origin).join(", "), [...queries]);
    }
    if (specs.length > 1) throw new GenBindingError(`--spec ${specs[clusterAt]} is a cluster's index (/openapi/v3), which gives every document the kinds need: give it alone`);
    const origin = parsed[clusterAt]!.origin;
    const cluster = await loadClusterDocuments(origin, indexes[clusterAt]!, queries, fetchOne);
    return merged(cluster.documents, origin, cluster.queries);
  } finally {
    cancel.abort();
  }
}

function merged(documents: LoadedDocument[], origin: string, queries: KindQuery[]): LoadedSpecs {
  if (documents.length === 0) throw new GenBindingError(`${origin} lists no group-version documents`);
  return { document: mergeDocuments(documents), origin, queries, openapi3: documents.every((d) => d.openapi !== undefined) };
}

function specList(spec: SpecOptions["spec"]): string[] {
  const specs = spec === undefined ? [] : typeof spec === "string" ? [spec] : [...spec];
  if (specs.length === 0) throw new GenBindingError("missing --spec <file|url|-> (see gen-binding --help)");
  if (specs.filter((s) => s === "-").length > 1) throw new GenBindingError("--spec - (standard input) can be given once");
  return [...new Set(specs)];
}

/**
 * The kubeconfig's server, CA, client certificate and token when `--from-cluster`, `--kubeconfig` or
 * `--context` asks for them; otherwise the global fetch without credentials. A token is only ever sent to
 * the kubeconfig's own server: a URL `--spec` elsewhere is refused rather than given it.
 */
async function chooseTransport(options: SpecOptions, specs: readonly string[]): Promise<Transport> {
  const { DEFAULT_TIMEOUT_MS, kubeconfigTransport, plainTransport } = await import("./fetch.js");
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new GenBindingError(`--timeout must be a positive number of seconds, not ${timeoutMs / 1000}`);
  if (!options.fromCluster && options.kubeconfig === undefined && options.context === undefined) return plainTransport(timeoutMs);
  const transport = kubeconfigTransport(options.kubeconfig, options.context, timeoutMs);
  for (const spec of specs.filter(isUrl)) {
    if (new URL(spec).origin !== new URL(transport.server!).origin) {
      throw new GenBindingError(`--spec ${spec} is not on the server of ${transport.credentials} (${transport.server}); its token is only sent there`);
    }
  }
  return transport;
}
