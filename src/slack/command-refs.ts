import type { WebClient } from '@slack/web-api';

/**
 * Turns what an admin typed into Slack IDs. With `should_escape` on (see manifest.yml) Slack sends
 * `<@U123|dana>` and `<#C123|billing>`; a plain `@dana` is looked up by handle or display name.
 */
export async function resolveUser(client: WebClient, ref: string): Promise<string | undefined> {
  const escaped = /^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/.exec(ref);
  if (escaped) return escaped[1];
  const handle = ref.replace(/^@/, '').toLowerCase();
  let cursor: string | undefined;
  do {
    const page = await client.users.list({ cursor, limit: 200 });
    const hit = page.members?.find(
      (u) =>
        !u.deleted && (u.name?.toLowerCase() === handle || u.profile?.display_name?.toLowerCase() === handle),
    );
    if (hit?.id) return hit.id;
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return undefined;
}

/** Public channels are C…, private channels created before 2021 (and some shared ones) are G…. */
export function resolveChannel(ref: string): string | undefined {
  const escaped = /^<#([CG][A-Z0-9]+)(\|[^>]*)?>$/.exec(ref);
  if (escaped) return escaped[1];
  return /^[CG][A-Z0-9]{2,}$/.test(ref) ? ref : undefined;
}
