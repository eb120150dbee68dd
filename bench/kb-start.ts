import { createKnowledgeBase } from '../src/ai/create-knowledge-base.js';

/** A warm start for bench/kb-scale.ts, in a fresh process: prints how long loading took, in ms. Args: dir, cache path. */
const [dir = '', cachePath = ''] = process.argv.slice(2);
const started = performance.now();
const kb = await createKnowledgeBase(dir, undefined, { cachePath });
const ms = performance.now() - started;
if (kb.articles().length === 0) throw new Error('nothing loaded');
console.log(ms.toFixed(1));
