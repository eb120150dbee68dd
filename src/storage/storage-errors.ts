import { z } from 'zod';

const coded = z.object({ code: z.string() });

/** PostgreSQL SQLSTATE classes and codes that say "try again shortly", not "this request is wrong". */
const PG_TRANSIENT_CLASSES = ['08', '53', '57P'];
const PG_TRANSIENT_CODES = new Set(['40001', '40P01']);
const SYSTEM_TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/**
 * Whether storage failed for a while rather than for good: SQLite busy or full; PostgreSQL unreachable,
 * out of connections, shutting down, or a serialization failure or deadlock. The chat API answers these
 * with 503 and Retry-After, so the page retries and nothing is lost.
 */
export function isStorageUnavailable(error: unknown): boolean {
  const parsed = coded.safeParse(error);
  if (!parsed.success) {
    // pg's pool reports a connection it could not get in time without a code.
    return (
      error instanceof Error &&
      /timeout exceeded when trying to connect|Connection terminated/i.test(error.message)
    );
  }
  const { code } = parsed.data;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_FULL') return true;
  if (SYSTEM_TRANSIENT_CODES.has(code) || PG_TRANSIENT_CODES.has(code)) return true;
  return /^[0-9A-Z]{5}$/.test(code) && PG_TRANSIENT_CLASSES.some((prefix) => code.startsWith(prefix));
}

/** A unique constraint refused an insert (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const parsed = coded.safeParse(error);
  return parsed.success && (parsed.data.code === '23505' || parsed.data.code === 'SQLITE_CONSTRAINT_UNIQUE');
}
