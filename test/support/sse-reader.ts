/** One `event: message` of a Baton live stream, as the widget reads it. */
export interface StreamedMessage {
  seq: number;
  author: string;
  text: string;
}

/**
 * Reads a conversation's live stream (fetch, Authorization header, as the chat page's client does) and
 * lets a test wait for a message it expects.
 */
export async function readStream(url: string, token: string) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (!res.ok || !res.body) throw new Error(`stream refused: ${res.status}`);
  const seen: StreamedMessage[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!frame.includes('event: message')) continue;
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (data) seen.push(JSON.parse(data.slice(6)) as StreamedMessage);
          for (const wake of waiters) wake();
        }
      }
    } catch {
      // Closed by the test.
    }
  })();
  return {
    seen,
    next(match: (m: StreamedMessage) => boolean, timeoutMs: number): Promise<StreamedMessage> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = seen.find(match);
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('expected message did not arrive on the stream'));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
