import { describe, expect, it } from 'vitest';
import type { TranscriptLine } from '../conversation/assistant.js';
import { asksIfBot, detectIntents } from './intents.js';

const intentsOf = (message: string, history: TranscriptLine[] = []) => detectIntents({ message, history });

describe('human intent', () => {
  it.each([
    'can I talk to a real person',
    'agent please',
    'Agent!',
    'I want a human',
    'speak to someone',
    'representative',
    'operator',
    'live chat with staff',
    'get me a manager',
    "I'd like to speak with a representative about my refund",
    'is there a person I can talk to?',
    'are there any humans here?',
    'connect me to customer service',
    'can I get an agent',
    'transfer me to a live agent',
    'hi, human please',
    'are you a bot? I want a human',
    "I don't want a bot, I want a human",
    'stop talking to the bot',
  ])('detects %j', (message) => {
    expect(intentsOf(message)).toContain('human');
  });

  it.each([
    'where can I find the human resources page',
    "I don't need a human, just tell me the shipping cost",
    'I talked to an agent yesterday and they said it shipped',
    'I want to give it to someone as a gift',
    'what are your live chat hours',
    'is this a human?',
    'are you a bot?',
  ])('does not detect %j', (message) => {
    expect(intentsOf(message)).not.toContain('human');
  });

  it('marks an explicit refusal as not_human', () => {
    expect(intentsOf("I don't need a human, just tell me the shipping cost")).toEqual(['not_human']);
    expect(intentsOf('no need for an agent, thanks')).toContain('not_human');
    expect(intentsOf('I want a human')).not.toContain('not_human');
  });

  it('treats "is this a human?" as a question about the bot', () => {
    expect(asksIfBot('is this a human?')).toBe(true);
    expect(asksIfBot('am I talking to a bot')).toBe(true);
    expect(asksIfBot('where is my order')).toBe(false);
  });
});

describe('topic intents', () => {
  it.each([
    ['I was charged twice', 'billing_dispute'],
    ['I want to file a chargeback', 'billing_dispute'],
    ['I will dispute this with my bank', 'billing_dispute'],
    ['there is an unauthorized charge on my card', 'billing_dispute'],
    ['you double charged me', 'billing_dispute'],
    ['I want a refund', 'refund'],
    ['I want my money back', 'refund'],
    ['when will I be reimbursed', 'refund'],
    ['cancel my order', 'cancellation'],
    ['please end my membership', 'cancellation'],
    ['I want to unsubscribe from Plus', 'cancellation'],
    ["I'm contacting my lawyer", 'legal'],
    ['I will sue you', 'legal'],
    ['I am considering legal action', 'legal'],
    ['I will file a GDPR complaint', 'legal'],
    ['my account was hacked', 'account_security'],
    ['someone logged into my account', 'account_security'],
    ['my card was stolen', 'account_security'],
    ['there are orders I did not place', 'account_security'],
    ['I want to make a complaint', 'complaint'],
    ['this is the worst service ever', 'complaint'],
    ['I am very disappointed with your company', 'complaint'],
    ['this is ridiculous', 'frustrated'],
    ["I've been trying for an hour", 'frustrated'],
    ['useless', 'frustrated'],
    ['WHERE IS MY ORDER', 'frustrated'],
    ['where is my order!!!', 'frustrated'],
    ['thanks for nothing', 'frustrated'],
    ['thanks, that solved it', 'thanks'],
    ['thank you so much', 'thanks'],
    ['cheers', 'thanks'],
    ['perfect, that helped', 'thanks'],
  ] as const)('%j → %s', (message, intent) => {
    expect(intentsOf(message)).toContain(intent);
  });

  it.each([
    ['My name is Sue', 'legal'],
    ['my package was stolen from the porch', 'account_security'],
    ['is the return window for 30 days?', 'frustrated'],
    ['thanks for nothing', 'thanks'],
    ['no thanks', 'thanks'],
    ["thank you, but that's not what I asked", 'thanks'],
    ['how do I reset my password', 'account_security'],
  ] as const)('%j is not %s', (message, intent) => {
    expect(intentsOf(message)).not.toContain(intent);
  });

  it('finds nothing in a plain question, empty text or markup', () => {
    expect(intentsOf('how long does shipping take?')).toEqual([]);
    expect(intentsOf('')).toEqual([]);
    expect(intentsOf('<b></b>')).toEqual([]);
  });
});

describe('repeat intent', () => {
  const history: TranscriptLine[] = [
    { author: 'customer', text: 'Where is my order NW-123456? It has not arrived.' },
    { author: 'bot', text: 'You can track it in Account > Orders.' },
  ];

  it('detects the same question asked again', () => {
    expect(intentsOf('where is my order NW-123456, it has not arrived', history)).toContain('repeat');
  });

  it('detects explicit complaints about repetition', () => {
    expect(intentsOf('you already said that')).toContain('repeat');
    expect(intentsOf("that's not what I asked")).toContain('repeat');
    expect(intentsOf('as I said, the box was empty')).toContain('repeat');
  });

  it('flags a question asked word for word before (history holds only earlier messages)', () => {
    const earlier: TranscriptLine[] = [
      { author: 'customer', text: 'How do I return a damaged lamp?' },
      { author: 'bot', text: 'Start a return from Account > Orders.' },
    ];
    expect(intentsOf('How do I return a damaged lamp?', earlier)).toContain('repeat');
  });

  it('does not flag a different question', () => {
    expect(intentsOf('how do I return a damaged lamp?', history)).not.toContain('repeat');
    expect(intentsOf('where is my order NW-123456, it has not arrived', [history[1]!])).not.toContain(
      'repeat',
    );
  });
});

describe('phrasings added with the evaluation set (eval/tuning/cases.json)', () => {
  it.each([
    'is there a live agent available?',
    'could you get a real person to look at this',
    "I'd rather deal with a person",
    'no bot. human.',
    'can a member of staff help me with my order',
    'pls get someone from support to help me',
    'never mind the shipping question, I want a human',
  ])('detects a request for a person in %j', (message) => {
    expect(intentsOf(message)).toContain('human');
  });

  it('drops a request for a person the customer withdrew ("no wait, never mind")', () => {
    expect(intentsOf('can I talk to a person? no wait, never mind — how long is shipping')).not.toContain(
      'human',
    );
  });

  it.each([
    ["there's a charge on my statement I don't recognise", 'billing_dispute'],
    ['I can see two payments for one order', 'billing_dispute'],
    ['someone changed my email and now I cannot log in', 'account_security'],
    ['there are orders on my account I never placed', 'account_security'],
    ['I got an email saying my password was changed but it was not me', 'account_security'],
    ["I'm reporting you to the BBB", 'legal'],
  ] as const)('%j → %s', (message, intent) => {
    expect(intentsOf(message)).toContain(intent);
  });

  it('treats "that is not what I asked" as a repeat, not as frustration', () => {
    expect(intentsOf("that's not what I asked")).toEqual(['repeat']);
    expect(intentsOf('that did not answer my question')).toContain('repeat');
    expect(intentsOf('no, I asked how to change my email')).toContain('repeat');
    expect(intentsOf('I asked my friend and she said you ship to Canada')).not.toContain('repeat');
  });

  it('takes polite closings as thanks', () => {
    expect(intentsOf("no thanks, that's all")).toContain('thanks');
    expect(intentsOf('ok got it')).toContain('thanks');
    expect(intentsOf('I got it yesterday but it is broken')).not.toContain('thanks');
    expect(intentsOf('no thanks')).not.toContain('thanks');
  });
});
