import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replayTriggerChange } from '../src/desk/trigger-replay-service.js';
import { loadDeskSettings } from '../src/desk/settings-service.js';
import type { TriggerChange } from '../src/handoff/trigger-change.js';
import { migrateToLatest, openDatabase } from '../src/storage/database.js';
import { withLoopWatch } from './stats.js';

const LINES = [
  'How long does standard shipping take?',
  'Is my warranty still valid after a year?',
  'I want a refund for order 12345',
  'Can I change the delivery address?',
  'This is not what I asked',
];

/**
 * Issue 15's trigger replay at scale: `conversations` conversations of three decided customer lines
 * each in the window, among `older` ones from before it (a year of history the replay must step over),
 * in a file database as Baton keeps them, replayed with two proposed changes while a 1 ms timer
 * measures the longest the event loop was held (the server answers chats and Slack meanwhile).
 */
export async function benchTriggerReplay(conversations = 10_000, older = 30_000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-replay-'));
  const storage = openDatabase(path.join(dir, 'baton.db'));
  try {
    await migrateToLatest(storage.db);
    const recent = new Date(Date.now() - 24 * 3600_000).toISOString();
    const old = new Date(Date.now() - 200 * 24 * 3600_000).toISOString();
    await storage.db.transaction().execute(async (trx) => {
      for (let c = 0; c < conversations + older; c += 1) {
        // Ids in no order of time, as Baton's random ones: old and recent conversations interleave.
        const id = `c_bench${String((c * 7919) % (conversations + older)).padStart(12, '0')}`;
        const at = c < conversations ? recent : old;
        await trx
          .insertInto('conversations')
          .values({
            id,
            token_hash: 'x',
            status: 'bot',
            metadata: '{}',
            last_seq: 3,
            created_at: at,
            updated_at: at,
          })
          .execute();
        for (let seq = 1; seq <= 3; seq += 1) {
          const messageId = `${id}-${seq}`;
          const text = LINES[(c + seq) % LINES.length]!;
          await trx
            .insertInto('messages')
            .values({ id: messageId, conversation_id: id, seq, author: 'customer', text, created_at: at })
            .execute();
          await trx
            .insertInto('trigger_inputs')
            .values({
              message_id: messageId,
              conversation_id: id,
              seq,
              customer_turns: seq,
              answered: (c + seq) % 7 === 0 ? 0 : 1,
              confidence: ((c * 7 + seq * 13) % 100) / 100,
              sentiment: (((c + seq) % 11) - 5) / 10,
              conversation_sentiment: (((c + seq) % 9) - 4) / 10,
              intents: JSON.stringify(
                (c + seq) % 13 === 0 ? ['human'] : (c + seq) % 17 === 0 ? ['refund'] : [],
              ),
              decided_at: at,
            })
            .execute();
        }
      }
    });
    const deps = {
      db: storage.db,
      now: () => new Date(),
      settings: () => loadDeskSettings({ db: storage.db }),
    };
    const replay = async (change: TriggerChange) => {
      const {
        value: report,
        ms,
        longestLoopBlockMs,
      } = await withLoopWatch(() => replayTriggerChange(deps, change));
      if (report.conversations !== conversations)
        throw new Error(`replayed ${report.conversations} of ${conversations} conversations`);
      return {
        ms,
        longestLoopBlockMs,
        handoffsNow: report.now.handoffs,
        handoffsProposed: report.proposed.handoffs,
      };
    };
    return {
      conversations,
      older,
      decisions: conversations * 3,
      confidence: await replay({ kind: 'trigger_confidence', value: 0.5 }),
      keyword: await replay({ kind: 'trigger_keywords', op: 'add', words: ['warranty'] }),
    };
  } finally {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(JSON.stringify(await benchTriggerReplay(), null, 2));
