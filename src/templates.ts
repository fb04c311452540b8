import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { GenBindingError } from "./errors.js";

/** The templates that ship with gen-binding (`templates/` beside `dist/`). */
export const BUILTIN_TEMPLATE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "templates");

/** Compiled handlebars templates, one per emitted file, plus partials. */
export interface Templates {
  /** Renders `name` (`client.ts`) with a view model. */
  render(name: string, view: object): string;
}

/**
 * Loads `*.hbs` from the built-in folder, then from `overrideDir` (a team's own templates win, file by
 * file). Files named `_name.hbs` are registered as partials `{{> name}}`.
 */
export function loadTemplates(overrideDir?: string): Templates {
  const sources = new Map<string, string>();
  for (const dir of [BUILTIN_TEMPLATE_DIR, overrideDir]) {
    if (dir === undefined) continue;
    for (const [name, text] of readTemplateDir(dir)) sources.set(name, text);
  }
  const handlebars = Handlebars.create();
  for (const [name, text] of sources) if (name.startsWith("_")) handlebars.registerPartial(name.slice(1), text);
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  return {
    render(name, view) {
      let template = compiled.get(name);
      if (!template) {
        const source = sources.get(name);
        if (source === undefined) throw new GenBindingError(`template ${name}.hbs not found`);
        // noEscape: the output is TypeScript, not HTML; view models escape spec text themselves.
        template = handlebars.compile(source, { noEscape: true, strict: true });
        compiled.set(name, template);
      }
      try {
        return template(view);
      } catch (error) {
        throw new GenBindingError(`template ${name}.hbs failed: ${(error as Error).message.split("\n")[0]}`);
      }
    },
  };
}

/** Reads `name.hbs` files of a folder as [name, text]; their content, for hashing a run's inputs. */
export function readTemplateDir(dir: string): Array<[string, string]> {
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((file) => file.endsWith(".hbs")).sort();
  } catch (error) {
    throw new GenBindingError(`cannot read templates folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return entries.map((file) => [file.slice(0, -".hbs".length), readFileSync(join(dir, file), "utf8")]);
}
