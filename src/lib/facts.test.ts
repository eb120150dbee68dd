import { describe, expect, it } from 'vitest';
import { extractFacts } from './facts.js';

describe('extractFacts', () => {
  it('finds order numbers, emails, phone numbers and amounts', () => {
    const facts = extractFacts([
      'My order #NW-482913 and order 556677 were both late. Email me at Jo.Doe+shop@Example.com',
      'call me on +1 (555) 123-4567 or 020 7946 0958; I paid $59.00 and €12,50? no, 12.50 EUR',
      'order nw 1234 too',
    ]);
    expect(facts.orderNumbers).toEqual(['#NW-482913', '#556677', '#NW-1234']);
    expect(facts.emails).toEqual(['jo.doe+shop@example.com']);
    expect(facts.phoneNumbers).toEqual(['+1 (555) 123-4567', '020 7946 0958']);
    expect(facts.amounts).toContain('$59.00');
    expect(facts.amounts).toContain('12.50 EUR');
  });

  it('does not mistake order numbers, amounts or dates for phone numbers', () => {
    const facts = extractFacts(['order #NW-12345678 from 2024-05-01 cost $1,299.99']);
    expect(facts.phoneNumbers).toEqual([]);
    expect(facts.orderNumbers).toEqual(['#NW-12345678']);
    expect(facts.amounts).toEqual(['$1,299.99']);
  });
});

describe('extractFacts on hostile input', () => {
  it('stays linear on 4,000-character runs that made its patterns backtrack', () => {
    const inputs = [
      'a.'.repeat(2000),
      `${'a'.repeat(2000)}@${'b-'.repeat(999)}`,
      `${'1 '.repeat(1999)}x`,
      `order${' '.repeat(3990)}x`,
      `${'9'.repeat(3999)}x`,
      `+${'('.repeat(1999)}1`,
    ];
    extractFacts(inputs.slice(0, 1));
    const started = performance.now();
    for (const text of inputs) extractFacts([text]);
    // About 2 ms in all now; the quadratic patterns took 40-150 ms for the first line alone.
    expect(performance.now() - started).toBeLessThan(15);
  });

  it('still finds what bounded patterns are meant to find', () => {
    const facts = extractFacts([
      'order   number: 1234567, mail a.b-c@mail.example.co.uk, tel +44 20 7946 0958',
    ]);
    expect(facts.orderNumbers).toEqual(['#1234567']);
    expect(facts.emails).toEqual(['a.b-c@mail.example.co.uk']);
    expect(facts.phoneNumbers).toEqual(['+44 20 7946 0958']);
  });
});
