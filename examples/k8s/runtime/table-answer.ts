// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/table-answer.ts), never in an output: the next run would put it back.
import { type Status, statusObject } from "./status.js";

/**
 * One column of a `meta.k8s.io` Table, as a resource's printer defines it in kube-apiserver (`kubectl get`
 * shows the columns of priority 0, `-o wide` all of them).
 */
export interface TableColumn<T = any> {
  /** The header kubectl shows, upper-cased: `Name`, `Ready`, `Node`. */
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  /** `name` for the column that names the object. */
  format?: string;
  description?: string;
  /** 0: always shown; 1 and above: only with `-o wide`. */
  priority?: number;
  /** The cell of one object. */
  cell(object: T): unknown;
}

/** The descriptions of the default columns: the document's own words for ObjectMeta's fields. */
export interface DefaultColumnText {
  name?: string;
  creationTimestamp?: string;
}

type Json = Record<string, any>;
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The apiserver's default table: Name and Created At (what a resource without its own printer gets). */
export function defaultColumns(text: DefaultColumnText = {}): TableColumn<Json>[] {
  return [
    {
      name: "Name",
      type: "string",
      format: "name",
      description: text.name ?? "",
      cell: (o) => o["metadata"]?.["name"] ?? "",
    },
    {
      name: "Created At",
      type: "date",
      description: text.creationTimestamp ?? "",
      // Go formats a missing timestamp as its zero time.
      cell: (o) => o["metadata"]?.["creationTimestamp"] ?? "0001-01-01T00:00:00Z",
    },
  ];
}

/**
 * A get or list answer as a Table of `version` (v1 or v1beta1), built as kube-apiserver's `asTable` does:
 * one row per object (per list item), the list's resourceVersion and continue token, and each row's object
 * as `includeObject` says: `Metadata` (default, a PartialObjectMetadata), `Object`, or `None`.
 */
export function asTable(
  body: unknown,
  columns: readonly TableColumn[],
  version: string,
  includeObject: string | null,
  typeMeta: { kind: string; apiVersion: string },
): Json | { error: Status & { code: number } } {
  const include = includeObject ?? "Metadata";
  if (!["Metadata", "Object", "None", ""].includes(include))
    return {
      error: statusObject(
        400,
        "BadRequest",
        `unrecognized includeObject value: ${JSON.stringify(include)}`,
      ),
    };
  const isList = isObject(body) && Array.isArray(body["items"]);
  const objects: unknown[] = isList ? (body["items"] as unknown[]) : [body];
  if (!objects.every(isObject))
    return {
      error: statusObject(
        406,
        "NotAcceptable",
        "the resource does not support being converted to a Table",
      ),
    };
  const meta = isObject(body) && isObject(body["metadata"]) ? body["metadata"] : {};
  const metadata: Json = {};
  for (const key of isList
    ? ["resourceVersion", "continue", "remainingItemCount"]
    : ["resourceVersion"])
    if (meta[key] !== undefined && meta[key] !== "") metadata[key] = meta[key];
  const rows = (objects as Json[]).map((object) => {
    const row: Json = { cells: columns.map((column) => column.cell(object)) };
    if (include === "Object") row["object"] = { ...typeMeta, ...object };
    else if (include !== "None")
      row["object"] = {
        kind: "PartialObjectMetadata",
        apiVersion: `meta.k8s.io/${version}`,
        metadata: isObject(object["metadata"]) ? object["metadata"] : {},
      };
    return row;
  });
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${version}`,
    metadata,
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? "",
      description: c.description ?? "",
      priority: c.priority ?? 0,
    })),
    rows,
  };
}
