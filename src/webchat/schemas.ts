import { z } from 'zod';

export const MAX_MESSAGE_CHARS = 4000;

export const createConversationBody = z
  .object({
    customer: z
      .object({
        // One line of text: control characters and line breaks collapse to spaces.
        name: z
          .string()
          .transform((v) =>
            v
              // eslint-disable-next-line no-control-regex -- removing control characters is the point
              .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
              .replace(/\s+/g, ' ')
              .trim(),
          )
          .pipe(z.string().min(1).max(100))
          .optional(),
        email: z.email().max(254).optional(),
      })
      .strict()
      .optional(),
    pageUrl: z.string().trim().max(2000).optional(),
    metadata: z
      .record(z.string().min(1).max(64), z.string().max(500))
      .refine((m) => Object.keys(m).length <= 20, 'at most 20 metadata keys')
      .optional(),
  })
  .strict();

export const postMessageBody = z
  .object({
    text: z.string(),
    clientMessageId: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

export const afterQuery = z.object({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
});

export const csatBody = z
  .object({
    score: z.number().int().min(1).max(5),
    comment: z.string().trim().max(2000).optional(),
  })
  .strict();

export const emailBody = z.object({ email: z.email().max(254) }).strict();

export const conversationIdParam = z.string().regex(/^c_[A-Za-z0-9_-]{16,64}$/, 'not a conversation id');
