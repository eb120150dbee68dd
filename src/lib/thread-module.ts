import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The module a worker thread runs: the compiled file when Baton runs from its build (npm run build), else
 * a `.mjs` shim that registers tsx first, since a worker thread does not get its parent's loader. Both are
 * named relative to `base`, the caller's `import.meta.url`.
 */
export function threadModule(base: string, compiled: string, sourceShim: string): string {
  const built = new URL(compiled, base);
  return fs.existsSync(fileURLToPath(built)) ? built.href : new URL(sourceShim, base).href;
}
