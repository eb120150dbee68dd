import { ErrorCode } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { classifySlackError } from './slack-errors.js';

const webApiError = (fields: object) => Object.assign(new Error('slack said no'), fields);

describe('classifySlackError', () => {
  it('reads rate limits, permanent and transient platform errors', () => {
    expect(classifySlackError(webApiError({ code: ErrorCode.RateLimitedError, retryAfter: 30 }))).toEqual({
      kind: 'rate_limited',
      retryAfterSec: 30,
    });
    const platform = (error: string) => webApiError({ code: ErrorCode.PlatformError, data: { error } });
    expect(classifySlackError(platform('channel_not_found'))).toEqual({
      kind: 'permanent',
      code: 'channel_not_found',
    });
    expect(classifySlackError(platform('fatal_error'))).toEqual({ kind: 'transient', code: 'fatal_error' });
    expect(classifySlackError(platform('ratelimited'))).toEqual({ kind: 'rate_limited', retryAfterSec: 1 });
  });

  it('treats anything else thrown, or fields of an unexpected type, as a transient failure', () => {
    expect(classifySlackError(new TypeError('fetch failed'))).toEqual({
      kind: 'transient',
      code: 'request_failed',
    });
    expect(classifySlackError('boom')).toEqual({ kind: 'transient', code: 'request_failed' });
    expect(classifySlackError(null)).toEqual({ kind: 'transient', code: 'request_failed' });
    expect(classifySlackError(webApiError({ code: 42 }))).toEqual({
      kind: 'transient',
      code: 'request_failed',
    });
    expect(classifySlackError(webApiError({ code: ErrorCode.RateLimitedError, retryAfter: 'soon' }))).toEqual(
      {
        kind: 'rate_limited',
        retryAfterSec: 1,
      },
    );
    expect(classifySlackError(webApiError({ code: ErrorCode.PlatformError, data: 'nope' }))).toEqual({
      kind: 'transient',
      code: 'unknown_error',
    });
  });
});

describe('a Slack error code the list does not know', () => {
  it('is parked as permanent instead of being retried forever', () => {
    for (const error of ['msg_blocks_too_long', 'restricted_action', 'some_code_from_the_future'])
      expect(classifySlackError(webApiError({ code: ErrorCode.PlatformError, data: { error } }))).toEqual({
        kind: 'permanent',
        code: error,
      });
  });
});
