import type { Binding, Status } from "../k8s/models.js";
import { type HandlerResult, statusAnswer } from "../k8s/routes.js";
import type { ClusterStore } from "./store.js";

/** The answer kube-apiserver gives a successful binding: a Status, not the Binding. */
const BOUND: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };

/**
 * A binding as kube-apiserver's BindingREST (pkg/registry/core/pod/storage) does it: validation,
 * uid/resourceVersion preconditions, "already assigned" conflict, then spec.nodeName, the binding's
 * annotations and PodScheduled=True. `dryRun` runs every check and changes nothing.
 */
export function bind(store: ClusterStore, namespace: string, name: string, binding: Binding, dryRun: boolean): HandlerResult<Status> {
  const objectNamespace = binding.metadata?.namespace;
  if (objectNamespace && objectNamespace !== namespace) {
    return statusAnswer(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
  }
  const invalid = validate(name, binding);
  if (invalid) return invalid;
  const pod = store.pod(namespace, name);
  if (!pod) return statusAnswer(404, "NotFound", `pods "${name}" not found`, { name, kind: "pods" });
  const { uid, resourceVersion } = binding.metadata ?? {};
  const precondition =
    uid && uid !== pod.metadata?.uid
      ? `UID in precondition: ${uid}, UID in object meta: ${pod.metadata?.uid}`
      : resourceVersion && resourceVersion !== pod.metadata?.resourceVersion
        ? `ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${pod.metadata?.resourceVersion}`
        : undefined;
  if (precondition) return conflict("pods", name, `Precondition failed: ${precondition}`);
  if (pod.spec?.nodeName) return conflict("pods/binding", name, `pod ${name} is already assigned to node ${JSON.stringify(pod.spec.nodeName)}`);
  if (!dryRun) store.bindPod(namespace, name, binding.target.name!, binding.metadata?.annotations ?? {});
  return { status: 201, body: BOUND };
}

/** ValidatePodBinding: target.kind is Node (or empty), target.name is set; and the object has a name. */
function validate(name: string, binding: Binding): HandlerResult<never> | undefined {
  const causes: Array<{ reason: string; message: string; field: string }> = [];
  if (!name) causes.push({ reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name" });
  const kind = binding.target.kind;
  if (kind && kind !== "Node") causes.push({ reason: "FieldValueNotSupported", message: `Unsupported value: ${JSON.stringify(kind)}: supported values: "Node", "<empty>"`, field: "target.kind" });
  if (!binding.target.name) causes.push({ reason: "FieldValueRequired", message: "Required value", field: "target.name" });
  if (causes.length === 0) return undefined;
  const list = causes.map((cause) => `${cause.field}: ${cause.message}`);
  const summary = list.length === 1 ? list[0] : `[${list.join(", ")}]`;
  return statusAnswer(422, "Invalid", `Binding ${JSON.stringify(name)} is invalid: ${summary}`, { name, group: "", kind: "Binding", causes });
}

function conflict(kind: string, name: string, why: string): HandlerResult<never> {
  return statusAnswer(409, "Conflict", `Operation cannot be fulfilled on ${kind} ${JSON.stringify(name)}: ${why}`, { name, kind });
}
