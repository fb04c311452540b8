// Your implementation of the routes of core/v1/Binding. gen-binding wrote this file once, because it was
// missing, and will never overwrite it: it is yours to edit. When an operation is added to the API,
// gen-binding adds a stub for it here and leaves every other line as it is. Each handler receives
// input that passed every check in routes.ts, and returns { status?, body, headers? }.
import { statusAnswer, type Handlers } from "./routes.js";

export const handlers: Handlers = {
  async createNamespacedBinding(request, context) {
    void request;
    void context;
    return statusAnswer(501, "NotImplemented", "createNamespacedBinding is not implemented yet");
  },
  async createNamespacedPodBinding(request, context) {
    void request;
    void context;
    return statusAnswer(501, "NotImplemented", "createNamespacedPodBinding is not implemented yet");
  },
};
