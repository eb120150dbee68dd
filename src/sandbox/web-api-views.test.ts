import { describe, expect, it } from 'vitest';
import { viewFieldErrors } from './web-api-views.js';

const modal = (extra: Record<string, unknown>) => ({
  type: 'modal',
  title: { type: 'plain_text', text: 'Edit reply' },
  blocks: [],
  ...extra,
});

describe('view field limits, as Slack enforces them', () => {
  it('accepts a modal within every limit', () => {
    expect(viewFieldErrors(modal({ private_metadata: 'x'.repeat(3000) }), 'modal')).toEqual([]);
  });

  it('refuses a long title, submit or close label, a long private_metadata and a missing title', () => {
    expect(viewFieldErrors(modal({ title: { type: 'plain_text', text: 'x'.repeat(25) } }), 'modal')).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
    expect(
      viewFieldErrors(
        modal({
          submit: { type: 'plain_text', text: 'Send this reply to the customer' },
          close: { type: 'plain_text', text: 'Never mind, close this please' },
        }),
        'modal',
      ),
    ).toHaveLength(2);
    expect(viewFieldErrors(modal({ private_metadata: 'x'.repeat(3001) }), 'modal')[0]).toContain(
      '/view/private_metadata',
    );
    expect(viewFieldErrors({ type: 'modal', blocks: [] }, 'modal')[0]).toContain(
      'missing required field: title',
    );
  });

  it('does not ask a Home tab for a title', () => {
    expect(viewFieldErrors({ type: 'home', blocks: [] }, 'home')).toEqual([]);
  });
});
