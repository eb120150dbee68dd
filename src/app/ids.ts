import { randomBytes, randomUUID } from 'node:crypto';
import type { IdGenerator } from '../ports.js';

/** 128 random bits for ids a customer can see, 256 for tokens: neither can be guessed or enumerated. */
export function createIdGenerator(): IdGenerator {
  return {
    conversationId: () => `c_${randomBytes(16).toString('base64url')}`,
    token: () => randomBytes(32).toString('base64url'),
    messageId: () => `m_${randomUUID()}`,
    handoffId: () => `h_${randomBytes(12).toString('base64url')}`,
  };
}
