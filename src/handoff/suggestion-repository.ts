import type { ArticleRef } from '../conversation/assistant.js';
import type { Db } from '../storage/database.js';

export type SuggestionState = 'offered' | 'sent' | 'dismissed';

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
    articles: row.articles ? (JSON.parse(row.articles) as ArticleRef[]) : [],
    state: row.state as SuggestionState,
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
