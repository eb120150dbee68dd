import type { AddressInfo } from 'node:net';
import express from 'express';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { addressOf, peerAddress, proxyTrust, sharedAddressLimit } from './chat-limits.js';

describe('sharedAddressLimit', () => {
  it('allows `limit` per address within the window, counted apart for each address', async () => {
    const handoffs = sharedAddressLimit(60_000, 2, 'too many');
    const taken = [];
    for (const address of ['a', 'a', 'a', 'b']) taken.push(await handoffs.take(address));
    expect(taken).toEqual([true, true, false, true]);
  });
});

/** The address Express keys a request on, and the one the routes served before Express key it on. */
async function bothAddresses(trustProxy: boolean, forwardedFor: string) {
  const app = express();
  app.set('trust proxy', proxyTrust(trustProxy));
  const peer = peerAddress(trustProxy);
  app.get('/', (req, res) => {
    res.json({ express: addressOf(req), peer: peer(req) });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': forwardedFor } });
    return z.object({ express: z.string(), peer: z.string() }).parse(await res.json());
  } finally {
    server.close();
  }
}

describe('peerAddress', () => {
  it('trusting no proxy, keys on the socket as Express does, whatever X-Forwarded-For says', async () => {
    expect(await bothAddresses(false, '203.0.113.9')).toEqual({ express: '127.0.0.1', peer: '127.0.0.1' });
  });

  it('behind the one trusted proxy, keys on the address it forwarded, as Express does', async () => {
    expect(await bothAddresses(true, '198.51.100.1, 203.0.113.9')).toEqual({
      express: '203.0.113.9',
      peer: '203.0.113.9',
    });
  });
});
