/**
 * The attacks of issue 11, each as a loop the abuse suite runs for a bounded time from one process on
 * loopback. An attacker speaks for one address (or many, through X-Forwarded-For behind the trusted
 * proxy) and never waits for anything but its own requests; streams it manages to open stay open until
 * the attack ends.
 */
export interface AttackContext {
  url: string;
  /** True once the attack's time is up. */
  over: () => boolean;
  /** Waits for this loop's next turn at the attack's pace. */
  pace: () => Promise<void>;
  /** Streams (or anything else) to close when the attack ends. */
  hold: (close: () => void) => void;
}

export interface Attack {
  name: string;
  /** Parallel loops of the attacker. */
  concurrency: number;
  /** Requests per second of all loops together (the rates issue 11 measured), or as fast as they go. */
  perSecond?: number;
  run(ctx: AttackContext, worker: number): Promise<void>;
}

const ATTACKER = '203.0.113.7';
const json = (address: string, token?: string) => ({
  'content-type': 'application/json',
  'x-forwarded-for': address,
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

async function conversation(url: string, address: string, body: object = {}) {
  const res = await fetch(`${url}/api/v1/conversations`, {
    method: 'POST',
    headers: json(address),
    body: JSON.stringify(body),
  });
  if (res.status !== 201) return undefined;
  return (await res.json()) as { conversation: { id: string }; token: string };
}

const drain = async (res: Response) => void (await res.arrayBuffer().catch(() => undefined));

/** Keeps a stream open (its body unread after the headers) until the attack ends. */
async function openStream(ctx: AttackContext, id: string, token: string, address: string) {
  const abort = new AbortController();
  const res = await fetch(`${ctx.url}/api/v1/conversations/${id}/stream`, {
    headers: json(address, token),
    signal: abort.signal,
  }).catch(() => undefined);
  // The response is kept reachable until then: undici cancels (and so closes) the body of a response
  // that is garbage-collected unread, which would let the attack's streams go by themselves.
  if (res?.status === 200) {
    ctx.hold(() => {
      res.body?.cancel().catch(() => undefined);
      abort.abort();
    });
  } else if (res) await drain(res);
}

/** Inputs that made the summary's patterns backtrack (issue 11: 50–110 ms each). */
const PATHOLOGICAL = [
  'a@'.repeat(1999),
  `${'1'.repeat(3990)}x`,
  `http://${'a.'.repeat(1995)}`,
  ' '.repeat(3999) + 'x',
  'order #'.repeat(570),
];

export const ATTACKS: Attack[] = [
  {
    name: 'made-up 8 KB conversation ids',
    concurrency: 32,
    perSecond: 1600,
    async run(ctx, w) {
      for (let i = 0; !ctx.over(); i += 1) {
        await ctx.pace();
        // Mostly 8 KB ids (refused as too long), some of a plausible length (refused by shape or lookup).
        const id = i % 4 === 0 ? `c_${w}x${i}${'A'.repeat(30)}` : `c_${w}x${i}${'A'.repeat(8000)}`;
        await drain(
          await fetch(`${ctx.url}/api/v1/conversations/${id}/handoff`, {
            method: 'POST',
            headers: json(ATTACKER),
          }),
        );
      }
    },
  },
  {
    name: 'live streams from one address',
    concurrency: 16,
    perSecond: 800,
    async run(ctx) {
      const c = await conversation(ctx.url, ATTACKER);
      while (c && !ctx.over()) {
        await ctx.pace();
        await openStream(ctx, c.conversation.id, c.token, ATTACKER);
      }
    },
  },
  {
    name: 'live streams from many addresses',
    concurrency: 16,
    perSecond: 600,
    async run(ctx, w) {
      for (let i = 0; !ctx.over() && i < 200; i += 1) {
        const address = `10.${w}.${i >> 8}.${i & 255}`;
        await ctx.pace();
        const c = await conversation(ctx.url, address);
        for (let k = 0; c && k < 3; k += 1) {
          await ctx.pace();
          await openStream(ctx, c.conversation.id, c.token, address);
        }
      }
    },
  },
  {
    name: 'writes across five conversations, then reads',
    concurrency: 10,
    perSecond: 500,
    async run(ctx, w) {
      const c = await conversation(ctx.url, ATTACKER);
      if (!c) return;
      for (let i = 0; !ctx.over(); i += 1) {
        await ctx.pace();
        const path = `${ctx.url}/api/v1/conversations/${c.conversation.id}/messages`;
        const init =
          i % 2 === 0
            ? {
                method: 'POST',
                headers: json(ATTACKER, c.token),
                body: JSON.stringify({ text: `spam ${w} ${i}` }),
              }
            : { headers: json(ATTACKER, c.token) };
        await drain(await fetch(path, init));
      }
    },
  },
  {
    name: 'handoff flood from one address',
    concurrency: 8,
    perSecond: 100,
    async run(ctx) {
      while (!ctx.over()) {
        await ctx.pace();
        const c = await conversation(ctx.url, ATTACKER, { customer: { name: 'Flood' } });
        if (!c) continue;
        await drain(
          await fetch(`${ctx.url}/api/v1/conversations/${c.conversation.id}/handoff`, {
            method: 'POST',
            headers: json(ATTACKER, c.token),
          }),
        );
      }
    },
  },
  {
    name: '/readyz flood',
    concurrency: 16,
    perSecond: 1000,
    async run(ctx) {
      while (!ctx.over()) {
        await ctx.pace();
        await drain(await fetch(`${ctx.url}/readyz`));
      }
    },
  },
  {
    name: 'pathological 4,000-character messages, handed off',
    concurrency: 4,
    // Each turn is three requests: a conversation, the message, the handoff.
    perSecond: 20,
    async run(ctx, w) {
      for (let i = 0; !ctx.over(); i += 1) {
        await ctx.pace();
        const address = `10.200.${w}.${i & 255}`;
        const c = await conversation(ctx.url, address, { customer: { name: 'Slow' } });
        if (!c) continue;
        const base = `${ctx.url}/api/v1/conversations/${c.conversation.id}`;
        const text = PATHOLOGICAL[i % PATHOLOGICAL.length]!;
        await drain(
          await fetch(`${base}/messages`, {
            method: 'POST',
            headers: json(address, c.token),
            body: JSON.stringify({ text }),
          }),
        );
        await drain(await fetch(`${base}/handoff`, { method: 'POST', headers: json(address, c.token) }));
      }
    },
  },
];
