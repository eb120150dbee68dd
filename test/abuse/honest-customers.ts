/**
 * Honest customers for the abuse suite, in a process of their own so the attacker's load on its own
 * process does not count against Baton: each writes every 1.5 s or so (not in step with the others)
 * until the time is up, then the acks are printed as JSON on stdout, with when the customers started
 * (after the warm-up): a process started under load may begin late, and only the time it had counts.
 * Args: base URL, the attack's end (epoch ms), ms between a customer's messages, then customers as JSON
 * [{ id, token, address }].
 */
const [url = '', deadlineArg = '0', everyArg = '1500', customersArg = '[]'] = process.argv.slice(2);
const every = Number(everyArg);
const customers = JSON.parse(customersArg) as { id: string; token: string; address: string }[];
const deadline = Number(deadlineArg);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const acks: { status: number; ms: number }[] = [];
// A first request each, not counted: a fresh process pays for its first connection and JIT warm-up.
await Promise.all(
  customers.map(() =>
    fetch(`${url}/healthz`)
      .then((r) => r.arrayBuffer())
      .catch(() => undefined),
  ),
);
const startedAt = Date.now();
await Promise.all(
  customers.map(async (c, i) => {
    await sleep((i * every) / customers.length);
    for (let k = 0; Date.now() < deadline; k += 1) {
      const t0 = performance.now();
      const res = await fetch(`${url}/api/v1/conversations/${c.id}/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${c.token}`,
          'x-forwarded-for': c.address,
        },
        body: JSON.stringify({ text: `still here ${k}` }),
      }).catch(() => undefined);
      await res?.arrayBuffer();
      acks.push({ status: res?.status ?? 0, ms: performance.now() - t0 });
      await sleep(every);
    }
  }),
);
process.stdout.write(JSON.stringify({ startedAt, acks }));
