import type * as TypeScript from "typescript";
import type { ModuleOutline } from "./scope.js";

/**
 * {@link ModuleOutline} from the TypeScript scanner alone, without a syntax tree: a few times faster than the
 * parser on megabytes of emitted code, and without its memory. It reads what gen-binding's templates emit
 * and plain variations of it; on anything else (destructuring, decorators, `import x =`, a statement that
 * only automatic semicolon insertion ends, two statements on one line after a `}`...) it gives up and returns
 * undefined, and the caller parses. When it answers, the names are those the parser finds and the statement
 * starts are some of the parser's (after each top-level `;`, and after a top-level `}` that a line break and
 * a new statement follow). Tested against the parser on every emitted file.
 */
export function scanOutline(ts: typeof TypeScript, text: string): ModuleOutline | undefined {
  try {
    return new OutlineScanner(ts, text).outline();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

const GIVE_UP = new Error("only the parser can tell");

/** Words that, first on a line after a `}`, may continue the statement instead of starting one. */
const CONTINUATIONS = new Set(["as", "satisfies", "in", "instanceof", "of", "extends", "implements", "else", "catch", "finally", "while", "from", "with", "assert", "is"]);

/** What a statement's first words say it is. */
type Head = "variables" | "other";

class OutlineScanner {
  readonly #k: typeof TypeScript.SyntaxKind;
  readonly #scanner: TypeScript.Scanner;
  /** Open brackets and template substitutions, innermost last. */
  readonly #open: TypeScript.SyntaxKind[] = [];
  readonly #declared = new Set<string>();
  #token: TypeScript.SyntaxKind;
  #previous: TypeScript.SyntaxKind;
  /** End of the previous token. */
  #previousEnd = 0;
  /** Tokens moved past so far. */
  #moves = 0;

  constructor(ts: typeof TypeScript, text: string) {
    this.#k = ts.SyntaxKind;
    this.#scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, text);
    this.#previous = this.#k.Unknown;
    this.#token = this.#scanner.scan();
    if (this.#at(this.#k.SlashToken) || this.#at(this.#k.SlashEqualsToken)) this.#token = this.#scanner.reScanSlashToken();
  }

  outline(): ModuleOutline {
    const statementStarts: number[] = [];
    let start = 0;
    while (!this.#at(this.#k.EndOfFileToken)) {
      statementStarts.push(start);
      const moves = this.#moves;
      start = this.#skipStatement(this.#statementHead(), moves);
    }
    if (this.#open.length) throw GIVE_UP;
    return { declared: this.#declared, statementStarts };
  }

  /** Moves to the next token, keeping track of brackets, template literals and regular expressions. */
  #next(): void {
    const k = this.#k;
    const token = this.#token;
    if (token === k.OpenBraceToken || token === k.OpenParenToken || token === k.OpenBracketToken || token === k.TemplateHead) this.#open.push(token);
    else if (token === k.CloseBraceToken || token === k.CloseParenToken || token === k.CloseBracketToken || token === k.TemplateTail) this.#close(token);
    this.#previous = token;
    // getTextPos: the token's end in every TypeScript 5 (its new name, getTokenEnd, came with 5.1).
    this.#previousEnd = this.#scanner.getTextPos();
    this.#moves++;
    let next = this.#scanner.scan();
    if (next === k.CloseBraceToken && this.#open.at(-1) === k.TemplateHead) next = this.#scanner.reScanTemplateToken(false);
    else if ((next === k.SlashToken || next === k.SlashEqualsToken) && !this.#endsOperand(token)) next = this.#scanner.reScanSlashToken();
    this.#token = next;
  }

  #close(token: TypeScript.SyntaxKind): void {
    const k = this.#k;
    const open = this.#open.pop();
    const pairs = token === k.CloseBraceToken ? k.OpenBraceToken : token === k.CloseParenToken ? k.OpenParenToken : token === k.CloseBracketToken ? k.OpenBracketToken : k.TemplateHead;
    if (open !== pairs) throw GIVE_UP;
  }

  /** True when a `/` after `token` divides (`a / b`); false when it starts a regular expression. */
  #endsOperand(token: TypeScript.SyntaxKind): boolean {
    const k = this.#k;
    if (token === k.CloseBraceToken) throw GIVE_UP; // after a block or after an object: only the parser knows
    if (this.#isWord(token)) return ![k.ReturnKeyword, k.TypeOfKeyword, k.DeleteKeyword, k.VoidKeyword, k.InKeyword, k.InstanceOfKeyword, k.NewKeyword, k.ThrowKeyword, k.CaseKeyword, k.DoKeyword, k.ElseKeyword, k.YieldKeyword, k.AwaitKeyword].includes(token);
    return this.#endsValue(token);
  }

  /** Literals and closing brackets: tokens after which an expression or a type may be complete. */
  #endsValue(token: TypeScript.SyntaxKind): boolean {
    const k = this.#k;
    return [k.NumericLiteral, k.BigIntLiteral, k.StringLiteral, k.RegularExpressionLiteral, k.NoSubstitutionTemplateLiteral, k.TemplateTail, k.CloseParenToken, k.CloseBracketToken, k.PlusPlusToken, k.MinusMinusToken].includes(token);
  }

  /** An identifier or a keyword (the scanner gives `type`, `as`, `from`... as keywords). */
  #isWord(token: TypeScript.SyntaxKind = this.#token): boolean {
    return token === this.#k.Identifier || (token >= this.#k.FirstKeyword && token <= this.#k.LastKeyword);
  }

  /** The current token is `kind` (a method, so that TypeScript does not narrow the field between moves). */
  #at(kind: TypeScript.SyntaxKind): boolean {
    return this.#token === kind;
  }

  #is(word: string): boolean {
    return this.#isWord() && this.#scanner.getTokenValue() === word;
  }

  /** Reads a name that can be declared (an identifier, or a keyword only in context: `type`, `as`), or gives up. */
  #name(): string {
    const k = this.#k;
    // After the reserved words come the contextual keywords (`abstract` ... `of`, `defer`).
    const contextual = this.#token > k.LastFutureReservedWord && this.#token <= k.LastKeyword;
    if (!this.#at(k.Identifier) && !contextual) throw GIVE_UP;
    const name = this.#scanner.getTokenValue();
    this.#next();
    return name;
  }

  /**
   * Reads the first words of a top-level statement and adds the names it declares, as scope.ts counts them:
   * declarations, imports except from `./models.js`, and re-exports.
   */
  #statementHead(): Head {
    const k = this.#k;
    if (this.#at(k.ImportKeyword)) return this.#importDeclaration(), "other";
    if (!this.#at(k.ExportKeyword)) {
      if (this.#at(k.AtToken) || this.#is("using") || this.#is("await")) throw GIVE_UP;
      return this.#declaration() ?? "other";
    }
    this.#next();
    if (this.#at(k.OpenBraceToken) || this.#at(k.AsteriskToken)) return this.#exportDeclaration(), "other";
    if (this.#is("type")) {
      this.#next();
      if (this.#at(k.OpenBraceToken) || this.#at(k.AsteriskToken)) return this.#exportDeclaration(), "other";
      if (this.#scanner.hasPrecedingLineBreak()) throw GIVE_UP;
      this.#declared.add(this.#name());
      return "other";
    }
    if (this.#at(k.DefaultKeyword)) return this.#defaultExport(), "other";
    if (this.#at(k.EqualsToken) || this.#is("as")) return "other"; // export = x; export as namespace X
    const head = this.#declaration();
    if (head === undefined) throw GIVE_UP; // export import A = B.C, or something new
    return head;
  }

  /** `import ...`: its local names, unless it imports from `./models.js` (the model names themselves). */
  #importDeclaration(): void {
    const k = this.#k;
    this.#next();
    if (this.#at(k.StringLiteral) || this.#at(k.OpenParenToken) || this.#at(k.DotToken)) return;
    if (this.#is("type")) {
      this.#next();
      if (this.#is("from") || this.#at(k.CommaToken) || this.#at(k.EqualsToken)) throw GIVE_UP;
    }
    const names: string[] = [];
    if (!this.#at(k.OpenBraceToken) && !this.#at(k.AsteriskToken)) {
      names.push(this.#name());
      if (this.#at(k.CommaToken)) this.#next();
      else if (!this.#is("from")) throw GIVE_UP; // import x = require("y")
    }
    if (this.#at(k.AsteriskToken)) {
      this.#next();
      if (!this.#is("as")) throw GIVE_UP;
      this.#next();
      names.push(this.#name());
    } else if (this.#at(k.OpenBraceToken)) {
      names.push(...this.#specifiers());
    }
    if (!this.#is("from")) throw GIVE_UP;
    this.#next();
    if (!this.#at(k.StringLiteral)) throw GIVE_UP;
    if (this.#scanner.getTokenValue() !== "./models.js") for (const name of names) this.#declared.add(name);
  }

  /** `export { ... } [from "x"]` and `export * [as ns] from "x"`, after `export [type]`: the exported names. */
  #exportDeclaration(): void {
    const k = this.#k;
    if (this.#at(k.OpenBraceToken)) {
      for (const name of this.#specifiers()) this.#declared.add(name);
      return;
    }
    this.#next();
    if (!this.#is("as")) return;
    this.#next();
    if (!this.#at(k.StringLiteral)) return void this.#declared.add(this.#name());
    this.#declared.add(this.#scanner.getTokenValue());
    this.#next();
  }

  /**
   * `{ a, b as c, type d, "e" as f }`, braces included: the name each specifier gives, its last word (the
   * local name of an import, the exported name of an export).
   */
  #specifiers(): string[] {
    const k = this.#k;
    const names: string[] = [];
    this.#next();
    while (!this.#at(k.CloseBraceToken)) {
      const words: string[] = [];
      let last = "";
      while (!this.#at(k.CommaToken) && !this.#at(k.CloseBraceToken)) {
        if (!this.#at(k.StringLiteral) && !this.#isWord()) throw GIVE_UP;
        last = this.#scanner.getTokenValue();
        words.push(this.#at(k.StringLiteral) ? "" : last);
        this.#next();
      }
      const [first, second, third] = words;
      const shape =
        words.length === 1 ||
        (words.length === 2 && first === "type") ||
        (words.length === 3 && second === "as") ||
        (words.length === 4 && first === "type" && third === "as");
      if (!shape) throw GIVE_UP;
      names.push(last);
      if (this.#at(k.CommaToken)) this.#next();
    }
    this.#next();
    return names;
  }

  /** `export default ...`: only a named function, class or interface declares a name. */
  #defaultExport(): void {
    this.#next();
    if (this.#is("abstract") || this.#is("async")) this.#next();
    if (this.#at(this.#k.FunctionKeyword) || this.#at(this.#k.ClassKeyword) || this.#is("interface")) this.#declaration();
  }

  /**
   * A declaration (after its `export`, if any): adds its name and says whether it declares variables;
   * undefined for a statement that is no declaration. Gives up on what it cannot read for sure.
   */
  #declaration(): Head | undefined {
    const k = this.#k;
    let declare = false;
    while (this.#is("declare") || this.#is("abstract") || this.#is("async")) {
      declare ||= this.#is("declare");
      this.#next();
      if (this.#scanner.hasPrecedingLineBreak()) throw GIVE_UP;
    }
    if (this.#at(k.FunctionKeyword) || this.#at(k.ClassKeyword)) {
      const isClass = this.#at(k.ClassKeyword);
      this.#next();
      if (!isClass && this.#at(k.AsteriskToken)) this.#next();
      const anonymous = this.#at(k.OpenParenToken) || this.#at(k.OpenBraceToken) || this.#at(k.LessThanToken) || (isClass && (this.#is("extends") || this.#is("implements")));
      if (!anonymous) this.#declared.add(this.#name());
      return "other";
    }
    if (this.#at(k.ConstKeyword) || this.#at(k.VarKeyword) || this.#is("let")) {
      this.#next();
      const isEnum = this.#at(k.EnumKeyword);
      if (isEnum) this.#next();
      // One declarator, named by an identifier: a second one makes #skipStatement give up.
      this.#declared.add(this.#name());
      return isEnum ? "other" : "variables";
    }
    if (declare && this.#is("global")) {
      this.#next();
      this.#declared.add("global");
      return "other";
    }
    if (this.#at(k.EnumKeyword) || this.#is("interface") || this.#is("type") || this.#is("namespace") || this.#is("module")) {
      const isModule = this.#is("module");
      this.#next();
      if (this.#scanner.hasPrecedingLineBreak()) throw GIVE_UP;
      if (!(isModule && this.#at(k.StringLiteral))) this.#declared.add(this.#name()); // module "x" {}: no identifier
      return "other";
    }
    if (declare) throw GIVE_UP;
    return undefined;
  }

  /**
   * Moves past the rest of the current statement and returns where the next one starts (its leading comments
   * included): after a top-level `;`, or after a top-level `}` followed, on a new line, by a word that cannot
   * continue the statement. `moves`: the count of tokens moved past when the statement began. Gives up where
   * only the parser can tell.
   */
  #skipStatement(head: Head, moves: number): number {
    const k = this.#k;
    for (;;) {
      const token = this.#token;
      if (token === k.EndOfFileToken) return this.#previousEnd;
      const topLevel = this.#open.length === 0;
      if (topLevel && this.#moves > moves && this.#isWord()) {
        const continues = CONTINUATIONS.has(this.#scanner.getTokenValue());
        if (this.#scanner.hasPrecedingLineBreak()) {
          if (this.#previous === k.CloseBraceToken && !continues) return this.#previousEnd;
          // Automatic semicolon insertion may end the statement here.
          if (this.#previous === k.CloseBraceToken || this.#isWord(this.#previous) || this.#endsValue(this.#previous) || this.#previous === k.GreaterThanToken) throw GIVE_UP;
        } else if (this.#previous === k.CloseBraceToken && !continues) {
          throw GIVE_UP; // `} word` on one line
        }
      }
      if (topLevel && token === k.CommaToken && head === "variables") throw GIVE_UP;
      this.#next();
      if (topLevel && token === k.SemicolonToken) return this.#previousEnd;
    }
  }
}
