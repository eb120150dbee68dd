import { describe, expect, it } from 'vitest';
import { invalidBlocksBody, validateBlocks } from './block-kit-validation.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (action_id: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id,
  text: { type: 'plain_text', text: 'Go' },
  ...extra,
});

const plain = (text: string) => ({ type: 'plain_text', text });
const confirm = {
  title: plain('Resolve?'),
  text: plain('The customer is told.'),
  confirm: plain('Resolve'),
  deny: plain('Cancel'),
};
const input = (element: Record<string, unknown>) => ({
  type: 'input',
  label: plain('Note'),
  element: { type: 'plain_text_input', action_id: 'note', ...element },
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

  it('accepts a confirm dialog and a bounded text input', () => {
    const blocks = [
      { type: 'actions', elements: [button('resolve', { confirm: { ...confirm, style: 'danger' } })] },
      input({ min_length: 1, max_length: 500, initial_value: 'hi', placeholder: plain('Say something') }),
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
    [
      'a confirm dialog without its deny label',
      [{ type: 'actions', elements: [button('resolve', { confirm: { ...confirm, deny: undefined } })] }],
      'must provide an object [json-pointer:/blocks/0/elements/0/confirm/deny]',
    ],
    [
      'a confirm dialog title over 100',
      [
        {
          type: 'actions',
          elements: [button('resolve', { confirm: { ...confirm, title: plain('t'.repeat(101)) } })],
        },
      ],
      'must be less than 101 characters [json-pointer:/blocks/0/elements/0/confirm/title/text]',
    ],
    [
      'a confirm dialog text over 300',
      [
        {
          type: 'actions',
          elements: [button('resolve', { confirm: { ...confirm, text: plain('x'.repeat(301)) } })],
        },
      ],
      'must be less than 301 characters [json-pointer:/blocks/0/elements/0/confirm/text/text]',
    ],
    [
      'an input max_length over 3000',
      [input({ max_length: 3001 })],
      'must be an integer between 0 and 3000 [json-pointer:/blocks/0/element/max_length]',
    ],
    [
      'an input min_length above its max_length',
      [input({ min_length: 10, max_length: 5 })],
      'min_length must not exceed max_length [json-pointer:/blocks/0/element/min_length]',
    ],
    [
      'an input preset longer than its max_length',
      [input({ max_length: 5, initial_value: 'too long' })],
      'must be less than 6 characters [json-pointer:/blocks/0/element/initial_value]',
    ],
    [
      'an input placeholder over 150',
      [input({ placeholder: plain('p'.repeat(151)) })],
      'must be less than 151 characters [json-pointer:/blocks/0/element/placeholder/text]',
    ],
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
