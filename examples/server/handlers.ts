// Written by gen-binding once (examples/gen-binding.config.json names this file), then filled in by hand:
// gen-binding never overwrites it, and adds a stub here when the API gains an operation. The operations this
// example serves keep the cluster in a ClusterStore; the others still answer 501, as generated.
import { type Handlers, statusAnswer } from "../k8s/routes.js";
import { bind } from "./binding.js";
import { found, listNodes, listPods } from "./reads.js";
import type { ClusterStore } from "./store.js";

/** The example's implementation of the generated routes, over one store. */
export function createHandlers(store: ClusterStore): Handlers {
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
    async readNodeStatus(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "readNodeStatus is not implemented yet");
    },
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
    async watchNode(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "watchNode is not implemented yet");
    },
    async watchNodeList(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "watchNodeList is not implemented yet");
    },
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
    async readNamespacedPodStatus(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "readNamespacedPodStatus is not implemented yet");
    },
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
    async watchNamespacedPod(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "watchNamespacedPod is not implemented yet");
    },
    async watchNamespacedPodList(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "watchNamespacedPodList is not implemented yet");
    },
    async watchPodListForAllNamespaces(request, context) {
      void request;
      void context;
      return statusAnswer(
        501,
        "NotImplemented",
        "watchPodListForAllNamespaces is not implemented yet",
      );
    },
    async watchPodForAllNamespaces(request, context) {
      void request;
      void context;
      return statusAnswer(501, "NotImplemented", "watchPodForAllNamespaces is not implemented yet");
    },
  };
  return handlers;
}
