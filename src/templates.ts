import Handlebars from "handlebars";
import { GenBindingError } from "./errors.js";

/** Compiled handlebars templates, one per emitted file, plus partials. */
export interface Templates {
  /** Renders `name` (`client.ts`) with a view model. */
  render(name: string, view: object): string;
}

/**
 * Compiles template texts (see `templateSources`). Names that start with `_` are registered as partials:
 * `_handler.hbs` is `{{> handler}}`.
 */
export function compileTemplates(sources: ReadonlyMap<string, string>): Templates {
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
