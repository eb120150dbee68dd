import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { afterEach, describe, expect, it } from 'vitest';
import { threadExecArgv, threadModule } from './thread-module.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('threadModule', () => {
  it('names the compiled file when there is one, else the source shim', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thread-module-'));
    const base = pathToFileURL(path.join(dir, 'caller.js')).href;
    expect(threadModule(base, './worker.js', './worker-source.mjs').filename).toBe(
      pathToFileURL(path.join(dir, 'worker-source.mjs')).href,
    );
    fs.writeFileSync(path.join(dir, 'worker.js'), '');
    expect(threadModule(base, './worker.js', './worker-source.mjs').filename).toBe(
      pathToFileURL(path.join(dir, 'worker.js')).href,
    );
  });

  it("has Piscina load the thread's ES module with import(), never require()", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thread-module-'));
    // The module reads how it is being loaded from its own evaluation's stack.
    fs.writeFileSync(
      path.join(dir, 'worker.js'),
      "const stack = new Error().stack ?? '';\n" +
        "export const loadedBy = /loadESMFromCJS|importSyncForRequire/.test(stack) ? 'require' : 'import';\n" +
        'export function how() { return loadedBy; }\n',
    );
    fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
    const entry = threadModule(pathToFileURL(path.join(dir, 'caller.js')).href, './worker.js', './none.mjs');
    const pool = new Piscina({ ...entry, name: 'how', minThreads: 1, maxThreads: 1 });
    try {
      expect(await pool.run(null)).toBe('import');
    } finally {
      await pool.destroy();
    }
  });
});

describe('threadExecArgv', () => {
  it('tells a thread not to require(esm) wherever this Node can', () => {
    // process.features.require_module: whether require() loads ES modules here (Node 20.19 and later).
    const canRequireEsm = (process.features as { require_module?: boolean }).require_module === true;
    expect(threadExecArgv().includes('--no-experimental-require-module')).toBe(canRequireEsm);
  });

  it('starts a thread in a Baton started with Node options a worker refuses (--max-old-space-size)', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thread-module-'));
    const worker = path.join(dir, 'worker.mjs');
    fs.writeFileSync(worker, 'export default () => 42;\n');
    // A worker given the parent's options explicitly refuses V8 ones: Baton would have no thread.
    const script =
      "import { Piscina } from 'piscina';\n" +
      "import { threadExecArgv } from './src/lib/thread-module.ts';\n" +
      'const pool = new Piscina({ filename: process.env.WORKER, execArgv: threadExecArgv() });\n' +
      'console.log(await pool.run(null));\n' +
      'await pool.destroy();\n';
    const run = spawnSync(
      process.execPath,
      ['--max-old-space-size=256', '--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8', timeout: 20_000, env: { ...process.env, WORKER: worker } },
    );
    // Not stderr === '': a warning from Node or a library is not this failure.
    expect(run.stderr).not.toContain('ERR_WORKER_INVALID_EXEC_ARGV');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('42');
  });
});
