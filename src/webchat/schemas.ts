import { z } from 'zod';
import { cleanMultiline, cleanOneLine } from './untrusted-text.js';

export const MAX_MESSAGE_CHARS = 4000;

/** One line of visitor text (see untrusted-text.ts), then length-checked. */
const oneLine = (max: number) => z.string().transform(cleanOneLine).pipe(z.string().min(1).max(max));

/**
 * The page the chat was opened on: an absolute http(s) URL, re-serialised by the URL parser (which
 * drops tabs and line breaks and percent-encodes spaces, quotes and angle brackets), with backticks
 * encoded too and credentials stripped.
 */
const pageUrl = z
  .string()
  .trim()
  .max(2000)
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
      return z.NEVER;
    }
    url.username = '';
    url.password = '';
    // The URL parser leaves backticks in a query as they are; encoded, they cannot close a code span.
    return url.href.replaceAll('`', '%60');
  });

export const createConversationBody = z
  .object({
    customer: z
      .object({
        name: oneLine(100).optional(),
        email: z.email().max(254).optional(),
      })
      .strict()
      .optional(),
    pageUrl: pageUrl.optional(),
    metadata: z
      .record(oneLine(64), oneLine(500))
      .refine((m) => Object.keys(m).length <= 20, 'at most 20 metadata keys')
      .optional(),
  })
  .strict();

export const postMessageBody = z
  .object({
    // Emptiness and length are checked by the route, after cleaning, so each gets its own status.
    text: z
      .string()
      .max(4 * MAX_MESSAGE_CHARS)
      .transform(cleanMultiline),
    clientMessageId: z
      .string()
      .trim()
      .regex(/^[\x20-\x7e]{1,100}$/, 'printable ASCII, at most 100 characters')
      .optional(),
  })
  .strict();

export const afterQuery = z.object({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
});

export const csatBody = z
  .object({
    score: z.number().int().min(1).max(5),
    comment: z.string().max(2000).transform(cleanMultiline).optional(),
  })
  .strict();

export const emailBody = z.object({ email: z.email().max(254) }).strict();

/**
 * What the chat page says it received (`delivered`: the highest seq) and showed on screen (`seen`: the
 * seqs themselves, since a reply above one on screen may never have been in view).
 */
const seqMark = z.number().int().min(0).max(1_000_000_000);
export const receiptsBody = z
  .object({ delivered: seqMark.optional(), seen: z.array(seqMark).min(1).max(100).optional() })
  .strict()
  .refine((r) => r.delivered !== undefined || r.seen !== undefined, {
    message: 'give delivered, seen or both',
  });

/** "Email me this conversation": where to, and an id the client repeats when it retries the same request. */
export const transcriptBody = z
  .object({
    email: z.email('must be an email address, like name@example.com').max(254),
    requestId: z
      .string()
      .regex(/^[\x20-\x7e]{1,100}$/, 'printable ASCII, at most 100 characters')
      .optional(),
  })
  .strict();

export const conversationIdParam = z.string().regex(/^c_[A-Za-z0-9_-]{16,64}$/, 'not a conversation id');

/** The conversation token from an `Authorization: Bearer …` header; anything else is no token. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(authorization ?? '')?.[1];
}

/** A path segment decoded, or '' when it does not decode (such a segment names no conversation). */
export function decodedPathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
