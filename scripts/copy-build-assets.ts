import fs from 'node:fs';
import path from 'node:path';

/**
 * The files `npm run build` needs besides what tsc compiles, copied into dist/ beside the code that
 * reads them by a path relative to its own file: the chat page (served as it is, and one module of it,
 * colour-contrast.js, imported by the server too), the assistant's trained models, and the local Slack
 * workspace's agent view. Unit tests and their sources stay out.
 */
const ASSETS = ['src/webchat/public', 'src/ai/model', 'src/sandbox/ui/assets'];

const root = path.resolve(import.meta.dirname, '..');
const keep = (file: string) => !/\.test\.|\.d\.ts$/.test(path.basename(file));

for (const dir of ASSETS) {
  const from = path.join(root, dir);
  const to = path.join(root, 'dist', dir);
  if (!fs.existsSync(from)) throw new Error(`build asset folder missing: ${dir}`);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true, filter: keep });
  console.log(`copied ${dir} -> dist/${dir}`);
}
