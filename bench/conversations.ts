import { z } from 'zod';

const started = z.object({ conversation: z.object({ id: z.string() }), token: z.string() });
export type StartedConversation = { id: string; token: string };

/** Starts `count` conversations through the chat API, 100 at a time; their ids and bearer tokens. */
export async function startConversations(url: string, count: number): Promise<StartedConversation[]> {
  const sessions: StartedConversation[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, async () => {
        const res = await fetch(`${url}/api/v1/conversations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        const body = started.parse(await res.json());
        return { id: body.conversation.id, token: body.token };
      }),
    );
    sessions.push(...batch);
  }
  return sessions;
}
