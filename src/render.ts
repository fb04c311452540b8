import { type EmitOptions, type EmittedFile, emitAll, emitHandlerStub } from "./emit/index.js";
import { outlineModule } from "./emit/scope.js";
import { type ApiModel, buildModel } from "./model.js";
import type { EmitPart } from "./parts.js";
import type { Selection } from "./select.js";
import { type Templates, compileTemplates } from "./templates.js";

/** What a run renders with: plain data, so that it can be handed to a worker thread. */
export interface RenderSettings {
  /** The template texts (see templateSources). */
  templates: Map<string, string>;
  parts: EmitPart[];
  handlersFile: string;
  routesImport: string;
}

/** An emitted file, and where its top-level statements start (for formatting it in batches). */
export interface RenderedFile extends EmittedFile {
  statementStarts: number[];
}

/** The emitted files of a selection, and what the manifest says of them. */
export interface Rendered {
  files: RenderedFile[];
  /** `core/v1/Binding`, ... sorted. */
  kinds: string[];
  operations: string[];
  models: string[];
  /** The names the models were kept clear of, when a model had taken one (see {@link Renderer.render}). */
  reserved: string[] | undefined;
}

/** model -> emit -> outline, on the thread it is created on (TypeScript, openapi-typescript, handlebars). */
export class Renderer {
  readonly #templates: Templates;
  readonly #options: EmitOptions;

  constructor(settings: RenderSettings) {
    this.#templates = compileTemplates(settings.templates);
    this.#options = { parts: new Set(settings.parts), handlersFile: settings.handlersFile, routesImport: settings.routesImport };
  }

  /**
   * Builds the model and emits its files. A model may not take a name the generated modules declare
   * (`Client`, `ApiError`, `ListNamespacedPodParams`): the names are read from the emitted text itself (the
   * TypeScript parser), never from a list kept by hand, and the model is named again with all of them reserved.
   */
  render(selection: Selection, origin: string): Rendered {
    let model = buildModel(selection, origin);
    let files = this.#emit(model, selection);
    const declared = new Set(files.flatMap((f) => f.declared));
    const clash = model.schemas.some((s) => declared.has(s.name));
    if (clash) {
      model = buildModel(selection, origin, declared);
      files = this.#emit(model, selection);
    }
    return {
      files: files.map(({ declared: _, ...file }) => file),
      kinds: model.kinds.map((k) => k.id),
      operations: model.operations.map((op) => op.name),
      models: model.schemas.map((s) => s.name),
      reserved: clash ? [...declared] : undefined,
    };
  }

  /** The stub of one handler method of a rendered selection, as the handlers file has it. */
  handlerStubs(selection: Selection, origin: string, reserved: readonly string[] | undefined): (name: string) => string {
    const model = buildModel(selection, origin, new Set(reserved));
    return (name) => emitHandlerStub(model, this.#templates, name);
  }

  /** The files with their outlines; `declared`: what each declares that a model may not take. */
  #emit(model: ApiModel, selection: Selection): Array<RenderedFile & { declared: string[] }> {
    return emitAll(model, this.#templates, { ...this.#options, selection }).map((file) => {
      const { declared, statementStarts } = outlineModule(file.name, file.content);
      return { ...file, statementStarts, declared: file.userOwned || file.name === "models.ts" ? [] : [...declared] };
    });
  }
}
