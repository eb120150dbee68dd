import { parseDocument, type YAMLError } from 'yaml';

/**
 * Splits a knowledge-base article into its front matter (YAML data only) and its markdown body.
 *
 * This replaces gray-matter, whose default engines evaluate `---js` / `---javascript` front matter:
 * anyone who could put a file in the KB folder could run code on the server. Here the front matter
 * is handed to a YAML parser and nothing else, so no text of an article is ever evaluated.
 *
 * Rules:
 * - Front matter is the block between a first line `---` and the next line `---` (trailing spaces
 *   and a byte-order mark are tolerated, as gray-matter did).
 * - A first line `---<lang>` (`---js`, `--- coffee`, `---yaml`...) is rejected, not read as body:
 *   its author meant front matter, and indexing it as article text would put code or settings into
 *   customers' answers. Rejecting also tells the author why in the loader's warning.
 * - A first line of four or more dashes is a markdown rule, not front matter.
 * - An opening `---` without a closing one is an error rather than "the whole file is YAML".
 */

export interface SplitArticle {
  /** The parsed YAML (usually an object); null when there is no front matter or it is empty. */
  data: unknown;
  content: string;
}

const FENCE = /^---[ \t]*$/;
/** `---` followed by a word is another language's front matter (gray-matter's `---js`). */
const LANGUAGE_FENCE = /^---[ \t]*[^\s-]/;

/** Throws an Error naming `file` when the front matter is not YAML or is not closed. */
export function splitFrontMatter(source: string, file: string): SplitArticle {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const lines = text.split('\n');
  const first = stripCr(lines[0] ?? '');
  if (LANGUAGE_FENCE.test(first)) {
    throw new Error(
      `${file}: front matter "${first.slice(0, 20)}" is not supported; only YAML between "---" lines is read (nothing was evaluated)`,
    );
  }
  if (!FENCE.test(first)) return { data: null, content: text };

  const close = lines.findIndex((line, index) => index > 0 && FENCE.test(stripCr(line)));
  if (close < 0) throw new Error(`${file}: front matter starts with "---" on line 1 but is never closed`);

  const yamlText = lines.slice(1, close).join('\n');
  return { data: parseYaml(yamlText, file), content: lines.slice(close + 1).join('\n') };
}

function parseYaml(yamlText: string, file: string): unknown {
  // The core schema has no custom or language-specific tags (no `!!js/function`); unknown tags are
  // reported as warnings, which are treated as errors like js-yaml's safeLoad did under gray-matter.
  // Alias expansion is capped (maxAliasCount: the package default, pinned here) so "billion laughs" fails.
  const doc = parseDocument(yamlText, { schema: 'core', prettyErrors: false });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    throw new Error(
      `${file}: front matter is not valid YAML (line ${fileLine(yamlText, problem)}): ${problem.message}`,
    );
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new Error(
      `${file}: front matter could not be read: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

/** Line in the article file: the YAML starts on line 2, after the opening `---`. */
function fileLine(yamlText: string, error: YAMLError): number {
  const offset = Math.min(error.pos[0], yamlText.length);
  return yamlText.slice(0, offset).split('\n').length + 1;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
