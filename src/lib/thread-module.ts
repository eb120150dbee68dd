import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The Node option that keeps require() from loading ES modules (Node 20.19 and later do by default). */
const NO_REQUIRE_ESM = '--no-experimental-require-module';

/**
 * The module a worker thread runs, and its Node options, as Piscina takes them: the compiled file when
 * Baton runs from its build (npm run build), else a `.mjs` shim that registers tsx first, since a worker
 * thread does not get its parent's loader. Both are named relative to `base`, the caller's
 * `import.meta.url`.
 *
 * Piscina loads a thread's module with require() before trying import(). Since Node 20.19 require() loads
 * an ES module too, partly synchronously, and under load that path has aborted a whole test process
 * ("FATAL ERROR: v8::Module::IsGraphAsync must be used on an instantiated module", from Piscina's
 * require()); the thread is told not to, so require() refuses and Piscina uses import(), the way an ES
 * module is meant to be loaded. Should a later Node drop the option while it can still require(esm),
 * threadExecArgv gives none and the require() path returns: thread-module.test.ts fails then ("tells a
 * thread not to require(esm) wherever this Node can"), which is the cue to look again.
 */
export function threadModule(
  base: string,
  compiled: string,
  sourceShim: string,
): { filename: string; execArgv: string[] } {
  const built = new URL(compiled, base);
  return {
    filename: fs.existsSync(fileURLToPath(built)) ? built.href : new URL(sourceShim, base).href,
    execArgv: threadExecArgv(),
  };
}

/**
 * The worker's Node options: only require(esm) off. The parent's are not passed on: given explicitly, a
 * worker refuses V8 and process-wide ones (Baton started with `--max-old-space-size` would have no
 * thread), and the thread needs none of them (its module registers tsx itself).
 */
export function threadExecArgv(): string[] {
  // An older Node has no such option (and no require(esm) to turn off); a worker refuses unknown options.
  return process.allowedNodeEnvironmentFlags.has(NO_REQUIRE_ESM) ? [NO_REQUIRE_ESM] : [];
}
