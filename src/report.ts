import type { FieldSurface, ModelSurface, OperationSurface, Surface } from "./surface.js";

/** One difference in the public surface of the output. */
export interface ApiChange {
  change: "added" | "removed" | "changed";
  /** `model Binding`, `field Binding.target`, `operation createNamespacedBinding`, `parameter createNamespacedBinding.dryRun` */
  subject: string;
  detail: string;
  /** True when code written against the old output may stop compiling or working. */
  breaking: boolean;
}

/** The API change report of a run: every change, breaking ones marked. */
export interface ApiChangeReport {
  changes: ApiChange[];
  breaking: boolean;
}

/**
 * Compares two public surfaces. Breaking: a removed model, field, operation or parameter; a field or
 * parameter made required or added as required; a type that no longer accepts all it accepted (narrowed or
 * replaced); an operation's method or path changed; a success body that may now be of a new type.
 */
export function compareSurfaces(before: Surface, after: Surface): ApiChangeReport {
  const changes: ApiChange[] = [];
  const push = (change: ApiChange["change"], subject: string, detail: string, breaking: boolean) => changes.push({ change, subject, detail, breaking });
  for (const name of union(before.models, after.models)) compareModel(name, before.models[name], after.models[name], push);
  for (const name of union(before.operations, after.operations)) compareOperation(name, before.operations[name], after.operations[name], push);
  return { changes, breaking: changes.some((c) => c.breaking) };
}

type Push = (change: ApiChange["change"], subject: string, detail: string, breaking: boolean) => void;

function compareModel(name: string, old: ModelSurface | undefined, now: ModelSurface | undefined, push: Push): void {
  const subject = `model ${name}`;
  if (!old) return push("added", subject, "new model", false);
  if (!now) return push("removed", subject, "model removed", true);
  if (old.deprecated !== now.deprecated) push("changed", subject, now.deprecated ? "now marked deprecated" : "no longer marked deprecated", false);
  if (old.type !== undefined || now.type !== undefined) {
    if (old.type !== now.type) push("changed", subject, `type ${old.type ?? "interface"} -> ${now.type ?? "interface"}`, !widens(old.type ?? "", now.type ?? ""));
    return;
  }
  compareFields(name, "field", old.fields ?? {}, now.fields ?? {}, push);
}

function compareFields(owner: string, what: "field" | "parameter", old: Record<string, FieldSurface>, now: Record<string, FieldSurface>, push: Push): void {
  for (const field of union(old, now)) {
    const subject = `${what} ${owner}.${field}`;
    const [a, b] = [old[field], now[field]];
    if (!a) {
      push("added", subject, `${b!.type}, ${b!.optional ? "optional" : "required"}`, !b!.optional);
      continue;
    }
    if (!b) {
      push("removed", subject, `${what} removed`, true);
      continue;
    }
    if (a.optional && !b.optional) push("changed", subject, "made required", true);
    if (!a.optional && b.optional) push("changed", subject, "made optional", false);
    if (a.type !== b.type) push("changed", subject, `type ${a.type} -> ${b.type}${widens(a.type, b.type) ? " (widened)" : ""}`, !widens(a.type, b.type));
    if (a.deprecated !== b.deprecated) push("changed", subject, b.deprecated ? "now marked deprecated" : "no longer marked deprecated", false);
  }
}

function compareOperation(name: string, old: OperationSurface | undefined, now: OperationSurface | undefined, push: Push): void {
  const subject = `operation ${name}`;
  if (!old) return push("added", subject, `${now!.method} ${now!.path}`, false);
  if (!now) return push("removed", subject, `${old.method} ${old.path} removed`, true);
  if (old.method !== now.method || old.path !== now.path) push("changed", subject, `${old.method} ${old.path} -> ${now.method} ${now.path}`, true);
  if (old.result !== now.result) push("changed", subject, `answer ${old.result} -> ${now.result}`, !widens(now.result, old.result));
  compareFields(name, "parameter", old.params, now.params, push);
}

/** True when every member of the union `from` is still a member of `to` (`string` -> `string | number`). */
function widens(from: string, to: string): boolean {
  const members = new Set(unionMembers(to));
  return unionMembers(from).every((m) => members.has(m));
}

/** Top-level members of a union type text, ignoring `|` inside brackets. */
function unionMembers(type: string): string[] {
  const members: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of type) {
    if ("<({[".includes(ch)) depth++;
    if (">)}]".includes(ch)) depth--;
    if (ch === "|" && depth === 0) {
      members.push(current.trim());
      current = "";
    } else current += ch;
  }
  members.push(current.trim());
  return members.filter(Boolean);
}

function union<T>(a: Record<string, T>, b: Record<string, T>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

/**
 * The report as lines for people: `+ field X.y (string, optional)`, breaking ones flagged (`alarm` styles the
 * flag: red on a terminal).
 */
export function formatReport(report: ApiChangeReport, kind: string, alarm: (text: string) => string = (text) => text): string {
  if (report.changes.length === 0) return `API surface of ${kind} unchanged\n`;
  const sign = { added: "+", removed: "-", changed: "~" } as const;
  const lines = report.changes.map((c) => `  ${sign[c.change]} ${c.subject}: ${c.detail}${c.breaking ? `  ${alarm("[BREAKING]")}` : ""}`);
  const breaking = report.changes.filter((c) => c.breaking).length;
  return `API changes of ${kind} (${report.changes.length} change${report.changes.length === 1 ? "" : "s"}, ${breaking} breaking):\n${lines.join("\n")}\n`;
}
