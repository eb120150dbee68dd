import { z } from 'zod';
import type { ArticleRef } from '../conversation/assistant.js';
import type { Db } from '../storage/database.js';

export type SuggestionState = 'offered' | 'sent' | 'dismissed';
const SUGGESTION_STATES: readonly SuggestionState[] = ['offered', 'sent', 'dismissed'];

const articleRefs: z.ZodType<ArticleRef[]> = z.array(
  z.object({ id: z.string(), title: z.string(), url: z.string().optional() }),
);

/** The cited articles are only shown to the agent, so unreadable ones are dropped, not fatal. */
function parseArticles(json: string | null): ArticleRef[] {
  if (!json) return [];
  try {
    const parsed = articleRefs.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export interface Suggestion {
  id: string;
  handoffId: string;
  agentSlackId: string;
  text: string;
  articles: ArticleRef[];
  state: SuggestionState;
}

export async function insertSuggestion(db: Db, s: Omit<Suggestion, 'state'>, now: string): Promise<void> {
  await db
    .insertInto('copilot_suggestions')
    .values({
      id: s.id,
      handoff_id: s.handoffId,
      agent_slack_id: s.agentSlackId,
      text: s.text,
      articles: JSON.stringify(s.articles),
      state: 'offered',
      created_at: now,
      decided_at: null,
    })
    .execute();
}

export async function findSuggestion(db: Db, id: string): Promise<Suggestion | undefined> {
  const row = await db.selectFrom('copilot_suggestions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    handoffId: row.handoff_id,
    agentSlackId: row.agent_slack_id,
    text: row.text,
    articles: parseArticles(row.articles),
    // An unknown state counts as decided: such a suggestion can no longer be sent, just as
    // decideSuggestion's compare-and-set on `offered` would refuse it.
    state: SUGGESTION_STATES.find((s) => s === row.state) ?? 'dismissed',
  };
}

/** Compare-and-set from `offered`, so a double click sends a suggestion once. */
export async function decideSuggestion(
  db: Db,
  id: string,
  state: 'sent' | 'dismissed',
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('copilot_suggestions')
    .set({ state, decided_at: now })
    .where('id', '=', id)
    .where('state', '=', 'offered')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Undoes a "sent" decision whose reply could not be stored, so the agent (or the inbox's retry) can send it. */
export async function reopenSuggestion(db: Db, id: string): Promise<void> {
  await db
    .updateTable('copilot_suggestions')
    .set({ state: 'offered', decided_at: null })
    .where('id', '=', id)
    .where('state', '=', 'sent')
    .execute();
}
