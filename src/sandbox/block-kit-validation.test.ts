import { describe, expect, it } from 'vitest';
import { invalidBlocksBody, validateBlocks } from './block-kit-validation.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (action_id: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id,
  text: { type: 'plain_text', text: 'Go' },
  ...extra,
});

describe('validateBlocks', () => {
  it('accepts a typical handoff card', () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'Handoff' } },
      section('*Customer* needs help'),
      { type: 'section', fields: [{ type: 'mrkdwn', text: 'a' }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'c' }] },
      { type: 'actions', block_id: 'act', elements: [button('claim', { value: 'x', style: 'primary' })] },
      { type: 'divider' },
    ];
    expect(validateBlocks(blocks, 50)).toEqual([]);
  });

  it.each([
    [
      'too many blocks',
      Array.from({ length: 51 }, () => ({ type: 'divider' })),
      'no more than 50 items allowed [json-pointer:/blocks]',
    ],
    [
      'long section text',
      [section('a'.repeat(3001))],
      'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ],
    [
      'empty section text',
      [section('')],
      'must be more than 0 characters [json-pointer:/blocks/0/text/text]',
    ],
    [
      'long header',
      [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
    ],
    [
      'mrkdwn header',
      [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }],
      'must be one of [plain_text] [json-pointer:/blocks/0/text/type]',
    ],
    [
      '11 fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }],
      'no more than 10 items allowed [json-pointer:/blocks/0/fields]',
    ],
    [
      'long field',
      [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }],
      'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]',
    ],
    [
      '11 context elements',
      [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }],
      'no more than 10 items allowed [json-pointer:/blocks/0/elements]',
    ],
    [
      '26 actions',
      [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`b${i}`)) }],
      'no more than 25 items allowed [json-pointer:/blocks/0/elements]',
    ],
    [
      'long button text',
      [
        {
          type: 'actions',
          elements: [{ ...button('b'), text: { type: 'plain_text', text: 't'.repeat(76) } }],
        },
      ],
      'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ],
    [
      'long button value',
      [{ type: 'actions', elements: [button('b', { value: 'v'.repeat(2001) })] }],
      'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
    ],
    [
      'long button url',
      [{ type: 'actions', elements: [button('b', { url: 'u'.repeat(3001) })] }],
      'must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]',
    ],
    [
      'long action_id',
      [{ type: 'actions', elements: [button('a'.repeat(256))] }],
      'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
    ],
    [
      'duplicate action_id',
      [{ type: 'actions', elements: [button('x'), button('x')] }],
      '`action_id` "x" already exists [json-pointer:/blocks/0/elements/1/action_id]',
    ],
    [
      'duplicate block_id',
      [
        { type: 'divider', block_id: 'd' },
        { type: 'divider', block_id: 'd' },
      ],
      '`block_id` "d" already exists [json-pointer:/blocks/1/block_id]',
    ],
    [
      'long block_id',
      [{ type: 'divider', block_id: 'd'.repeat(256) }],
      'must be less than 256 characters [json-pointer:/blocks/0/block_id]',
    ],
    ['unknown type', [{ type: 'carousel' }], 'unsupported type `carousel` [json-pointer:/blocks/0/type]'],
  ])('rejects %s', (_name, blocks, message) => {
    expect(validateBlocks(blocks, 50)).toContain(message);
  });

  it('allows 100 blocks in views and points into /view/blocks', () => {
    const hundred = Array.from({ length: 100 }, () => ({ type: 'divider' }));
    expect(validateBlocks(hundred, 100, '/view/blocks')).toEqual([]);
    expect(validateBlocks([section('')], 100, '/view/blocks')[0]).toMatch(
      /json-pointer:\/view\/blocks\/0\/text\/text/,
    );
  });

  it('shapes the error body like Slack', () => {
    expect(invalidBlocksBody(['x [json-pointer:/blocks]'])).toEqual({
      ok: false,
      error: 'invalid_blocks',
      errors: ['x [json-pointer:/blocks]'],
      response_metadata: { messages: ['[ERROR] x [json-pointer:/blocks]'] },
    });
  });
});
