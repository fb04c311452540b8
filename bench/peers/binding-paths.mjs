/** The two Binding paths of core/v1, the only ones the peers are asked to generate. */
export const BINDING_PATHS = ["/api/v1/namespaces/{namespace}/bindings", "/api/v1/namespaces/{namespace}/pods/{name}/binding"];

/** Their operation ids in the Kubernetes document. */
export const BINDING_OPERATION_IDS = ["createCoreV1NamespacedBinding", "createCoreV1NamespacedPodBinding"];
