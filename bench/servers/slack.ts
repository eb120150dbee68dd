import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import { SANDBOX_BOT_USER_ID } from '../../src/sandbox/default-workspace.js';

/**
 * A Slack stand-in for the benchmarks, in its own process so its work is not counted as Baton's: the
 * local workspace with Slack's rate limits off (the bench measures Baton, not Slack's pacing), `channels`
 * extra channels the bot is in, and every chat.postMessage answered after `latencyMs`.
 * Args: bot token, latency ms, channel count. Prints one JSON line: { apiUrl, channels }.
 */
const [botToken = 'xoxb-bench', latency = '0', count = '1'] = process.argv.slice(2);
const channels = Array.from({ length: Number(count) }, (_, i) => ({
  id: `C0BENCH${String(i).padStart(3, '0')}`,
  name: `bench-${i}`,
  isPrivate: false,
  isArchived: false,
  memberIds: [SANDBOX_BOT_USER_ID],
}));
const sandbox = await startSlackSandbox({
  port: 0,
  host: '127.0.0.1',
  botToken,
  signingSecret: 'bench-signing-secret',
  rateLimits: false,
  channels,
});
if (Number(latency) > 0) sandbox.setFault('chat.postMessage', { kind: 'slow', ms: Number(latency) });
console.log(JSON.stringify({ apiUrl: sandbox.apiUrl, channels: channels.map((c) => c.id) }));
process.on('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
