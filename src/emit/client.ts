import type { ApiModel } from "../model.js";
import type { Templates } from "../templates.js";
import type { OperationView } from "./views.js";
import { clientReferencedTypes } from "./views.js";

/** `client.ts`: view model for `templates/client.ts.hbs`. */
export function emitClient(model: ApiModel, views: readonly OperationView[], templates: Templates, header: string, kinds: string): string {
  const streams = views.some((op) => op.isWatch || op.follows);
  const patches = views.some((op) => op.patch !== undefined);
  return templates.render("client.ts", {
    header,
    kinds,
    modelImports: clientReferencedTypes(model, views).join(", "),
    usesQueryParameters: views.some((op) => op.clientExtends !== ""),
    statusType: model.statusTypeName,
    operations: views,
    // Watches, followed logs and patches bring their runtime modules; an output without them has none.
    streams,
    patches,
    features: [streams ? "...streaming.streams" : "", patches ? "patchMediaType: patching.patchMediaType" : ""].filter(Boolean).join(", "),
  });
}
