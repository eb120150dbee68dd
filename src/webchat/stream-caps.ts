/**
 * Caps on open live streams. Each stream holds a socket (a file handle) for as long as the customer's
 * page is open, so without caps one address could open streams until the process runs out of handles
 * and /healthz and every customer with it fail.
 */
export interface StreamCaps {
  /** Takes a slot, or says which cap is full. The returned release is safe to call more than once. */
  acquire(address: string, conversationId: string): { release: () => void } | { refused: string };
  open(): number;
}

export function createStreamCaps(caps: {
  streamsPerAddress: number;
  streamsPerConversation: number;
  streamsTotal: number;
}): StreamCaps {
  const byAddress = new Map<string, number>();
  const byConversation = new Map<string, number>();
  let total = 0;
  const bump = (map: Map<string, number>, key: string, by: number) => {
    const next = (map.get(key) ?? 0) + by;
    if (next <= 0) map.delete(key);
    else map.set(key, next);
  };

  return {
    acquire(address, conversationId) {
      if (total >= caps.streamsTotal) return { refused: 'the server has too many live connections' };
      if ((byAddress.get(address) ?? 0) >= caps.streamsPerAddress)
        return { refused: 'too many live connections from your network' };
      if ((byConversation.get(conversationId) ?? 0) >= caps.streamsPerConversation)
        return { refused: 'this conversation is open in too many windows' };
      total += 1;
      bump(byAddress, address, 1);
      bump(byConversation, conversationId, 1);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          total -= 1;
          bump(byAddress, address, -1);
          bump(byConversation, conversationId, -1);
        },
      };
    },
    open: () => total,
  };
}
