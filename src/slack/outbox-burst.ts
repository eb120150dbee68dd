import type { ThreadMessageItem } from '../storage/outbox-heads.js';
import type { OutboxItem } from '../storage/outbox-repository.js';
import type { OutboxMessage, OutboxRenderer } from './outbox-worker.js';

/**
 * A burst of customer lines in one thread goes to Slack as one post: at Slack's pace (about one post a
 * second per channel) ten quick lines would otherwise hold the channel for ten seconds. The first
 * line's "*Name (customer):*" header is kept; the others add their quoted text below it.
 */

/** Lines merged into one post at most, and the length the merged text stays under. */
export const BURST_MAX_LINES = 10;
const BURST_MAX_CHARS = 3900;

export interface Burst {
  message: OutboxMessage;
  /** The items the post carries, head first. */
  items: OutboxItem[];
}

export async function mergeBurst(
  renderer: OutboxRenderer,
  head: ThreadMessageItem,
  headMessage: OutboxMessage,
  behind: ThreadMessageItem[],
): Promise<Burst> {
  const items: OutboxItem[] = [head];
  let text = headMessage.text;
  for (const line of behind) {
    const rendered = await renderer.render(line);
    // A line that renders differently (gone, or another thread) ends the burst; it is sent on its own.
    if (
      'skip' in rendered ||
      'reaction' in rendered ||
      // A line with its own buttons (a masked line's Reveal) is posted on its own.
      rendered.blocks !== undefined ||
      headMessage.blocks !== undefined ||
      rendered.threadTs !== headMessage.threadTs ||
      rendered.channel !== headMessage.channel
    )
      break;
    const quote = rendered.text.slice(rendered.text.indexOf('\n') + 1);
    if (text.length + 1 + quote.length > BURST_MAX_CHARS) break;
    text = `${text}\n${quote}`;
    items.push(line);
  }
  return { message: { ...headMessage, text }, items };
}
