import type { Node, NodeList, Pod, PodList } from "../k8s/models.js";
import { type HandlerResult, statusAnswer } from "../k8s/routes.js";
import type { ClusterStore } from "./store.js";

/** Field selectors kube-apiserver supports on pods that a scheduler uses (`spec.nodeName=` finds pending pods). */
const POD_FIELDS: Record<string, (pod: Pod) => string> = {
  "metadata.name": (pod) => pod.metadata?.name ?? "",
  "metadata.namespace": (pod) => pod.metadata?.namespace ?? "",
  "spec.nodeName": (pod) => pod.spec?.nodeName ?? "",
  "spec.schedulerName": (pod) => pod.spec?.schedulerName ?? "",
  "status.phase": (pod) => pod.status?.phase ?? "",
};

/** What the list and watch handlers of this example read from their query. */
export interface ListQuery {
  fieldSelector?: string;
  labelSelector?: string;
}

/** The pods a query selects, as a test; or the apiserver's 400 for a selector this example does not support. */
export function podSelector(query: ListQuery): { test: (pod: Pod) => boolean } | HandlerResult<never> {
  const unsupported = unsupportedQuery(query);
  if (unsupported) return unsupported;
  const tests: Array<(pod: Pod) => boolean> = [];
  for (const term of (query.fieldSelector ?? "").split(",").filter(Boolean)) {
    const match = /^([^!=]+)(!=|==|=)(.*)$/.exec(term);
    const read = match && Object.hasOwn(POD_FIELDS, match[1]!) ? POD_FIELDS[match[1]!] : undefined;
    if (!match || !read) return statusAnswer(400, "BadRequest", `"${term}" is not a known field selector: only ${Object.keys(POD_FIELDS).map((f) => `"${f}"`).join(", ")}`);
    const [, , operator, value] = match;
    tests.push((pod) => (read(pod) === value) === (operator !== "!="));
  }
  return { test: (pod) => tests.every((test) => test(pod)) };
}

/** A PodList of one namespace (or all), filtered by field selector, as kube-apiserver answers it. */
export function listPods(store: ClusterStore, namespace: string | undefined, query: ListQuery): HandlerResult<PodList> {
  const selected = podSelector(query);
  if (!("test" in selected)) return selected;
  const items = store.listPods(namespace).filter(selected.test);
  return { body: { kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: store.resourceVersion }, items: items.map(asItem) } };
}

/** A NodeList, as kube-apiserver answers it. */
export function listNodes(store: ClusterStore, query: ListQuery): HandlerResult<NodeList> {
  const unsupported = unsupportedQuery(query);
  if (unsupported) return unsupported;
  return { body: { kind: "NodeList", apiVersion: "v1", metadata: { resourceVersion: store.resourceVersion }, items: store.listNodes().map(asItem) } };
}

/** One object, or kube-apiserver's 404 for it. */
export function found<T>(object: T | undefined, resource: string, name: string): HandlerResult<T> {
  return object ? { body: object } : statusAnswer(404, "NotFound", `${resource} "${name}" not found`, { name, kind: resource });
}

/** A query this example cannot answer, refused (labelSelector is not implemented here). */
export function unsupportedQuery(query: ListQuery): HandlerResult<never> | undefined {
  if (query.labelSelector) return statusAnswer(400, "BadRequest", "labelSelector is not supported by this example server");
  return undefined;
}

/** List items carry no kind and apiVersion, as in kube-apiserver's answers. */
function asItem<T extends Pod | Node>(object: T): T {
  const { kind: _kind, apiVersion: _apiVersion, ...item } = object;
  return item as T;
}
