// Written by gen-binding once (examples/gen-binding.config.json names this file), then filled in by hand:
// gen-binding never overwrites it, and adds a stub here when the API gains an operation. The operations this
// example serves (bindings, reads, lists and watches of pods and nodes) keep the cluster in a ClusterStore;
// the others are the generated stubs, which answer 501 NotImplemented: this example does not write pods or nodes.
import { type Handlers, statusAnswer } from "../k8s/routes.js";
import { bind } from "./binding.js";
import { found, listNodes, listPods } from "./reads.js";
import type { ClusterStore } from "./store.js";
import { BOOKMARK_INTERVAL_MS, watchNodes, watchPods } from "./watches.js";

/** The example's implementation of the generated routes, over one store; watches that allow bookmarks get one every `bookmarkIntervalMs`. */
export function createHandlers(store: ClusterStore, bookmarkIntervalMs = BOOKMARK_INTERVAL_MS): Handlers {
  const handlers: Handlers = {
    createNamespacedBinding: ({ params, query, body }) => bind(store, params.namespace, body.metadata?.name ?? "", body, query.dryRun === "All"),
    createNamespacedPodBinding: ({ params, query, body }) => {
      // BindingREST's own check: the apiserver leaves it to the resource, not to the generic handler.
      if (body.metadata?.name !== params.name) return statusAnswer(400, "BadRequest", "name in URL does not match name in Binding object");
      return bind(store, params.namespace, params.name, body, query.dryRun === "All");
    },
    async createNode(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "createNode is not implemented yet");
    },
    readNode: ({ params }) => found(store.node(params.name), "nodes", params.name),
    // The status subresource reads the whole object, as the apiserver's does.
    readNodeStatus: ({ params }) => found(store.node(params.name), "nodes", params.name),
    listNode: ({ query }) => listNodes(store, query),
    async replaceNode(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "replaceNode is not implemented yet");
    },
    async replaceNodeStatus(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "replaceNodeStatus is not implemented yet");
    },
    async patchNode(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "patchNode is not implemented yet");
    },
    async patchNodeStatus(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "patchNodeStatus is not implemented yet");
    },
    async deleteNode(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "deleteNode is not implemented yet");
    },
    async deleteCollectionNode(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "deleteCollectionNode is not implemented yet");
    },
    watchNode: ({ query }, { signal }) => watchNodes(store, query, signal, bookmarkIntervalMs),
    async createNamespacedPod(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "createNamespacedPod is not implemented yet");
    },
    readNamespacedPod: ({ params }) => found(store.pod(params.namespace, params.name), "pods", params.name),
    async readNamespacedPodEphemeralcontainers(request, context) {
      void request;
      void context;
      return statusAnswer(
        501,
        "NotImplemented",
        "readNamespacedPodEphemeralcontainers is not implemented yet",
      );
    },
    async readNamespacedPodLog(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "readNamespacedPodLog is not implemented yet");
    },
    async readNamespacedPodResize(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "readNamespacedPodResize is not implemented yet");
    },
    readNamespacedPodStatus: ({ params }) => found(store.pod(params.namespace, params.name), "pods", params.name),
    listNamespacedPod: ({ params, query }) => listPods(store, params.namespace, query),
    listPodForAllNamespaces: ({ query }) => listPods(store, undefined, query),
    async replaceNamespacedPod(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "replaceNamespacedPod is not implemented yet");
    },
    async replaceNamespacedPodEphemeralcontainers(request, context) {
      void request;
      void context;
      return statusAnswer(
        501,
        "NotImplemented",
        "replaceNamespacedPodEphemeralcontainers is not implemented yet",
      );
    },
    async replaceNamespacedPodResize(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "replaceNamespacedPodResize is not implemented yet");
    },
    async replaceNamespacedPodStatus(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "replaceNamespacedPodStatus is not implemented yet");
    },
    async patchNamespacedPod(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "patchNamespacedPod is not implemented yet");
    },
    async patchNamespacedPodEphemeralcontainers(request, context) {
      void request;
      void context;
      return statusAnswer(
        501,
        "NotImplemented",
        "patchNamespacedPodEphemeralcontainers is not implemented yet",
      );
    },
    async patchNamespacedPodResize(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "patchNamespacedPodResize is not implemented yet");
    },
    async patchNamespacedPodStatus(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "patchNamespacedPodStatus is not implemented yet");
    },
    async deleteNamespacedPod(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "deleteNamespacedPod is not implemented yet");
    },
    async deleteCollectionNamespacedPod(request, context) {
      void request;
      void context;
      return statusAnswer(
        501,
        "NotImplemented",
        "deleteCollectionNamespacedPod is not implemented yet",
      );
    },
    watchNamespacedPod: ({ params, query }, { signal }) => watchPods(store, params.namespace, query, signal, bookmarkIntervalMs),
    watchPodForAllNamespaces: ({ query }, { signal }) => watchPods(store, undefined, query, signal, bookmarkIntervalMs),
  };
  return handlers;
}
