// The Slack call thread when Baton runs from its TypeScript sources (npm start, the tests): a worker
// thread does not get tsx's loader from its parent, so it is registered here before the source is loaded.
// A build (npm run build) runs slack-call-worker.js directly and never uses this file.
const { register } = await import('tsx/esm/api');
register();
const thread = await import('./slack-call-worker.ts');

export const call = thread.call;
export const ready = thread.ready;
