// The assistant thread when Baton runs from its TypeScript sources (npm start, the tests): a worker
// thread does not get tsx's loader from its parent, so it is registered here before the source is loaded.
// A build (npm run build) runs assistant-thread.js directly and never uses this file.
const { register } = await import('tsx/esm/api');
register();
const thread = await import('./assistant-thread.ts');

export const analyze = thread.analyze;
export const summarize = thread.summarize;
