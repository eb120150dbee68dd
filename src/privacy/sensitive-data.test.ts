import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MASKED,
  SENSITIVE_KINDS,
  findSensitive,
  isValidIban,
  maskSensitive,
  passesLuhn,
  type SensitiveKind,
} from './sensitive-data.js';

const ALL: readonly SensitiveKind[] = SENSITIVE_KINDS;
const mask = (text: string, kinds: readonly SensitiveKind[] = ALL) => maskSensitive(text, kinds).text;

describe('passesLuhn', () => {
  it('accepts valid card numbers and rejects the rest', () => {
    for (const valid of ['4242424242424242', '378282246310005', '5555555555554444', '4111111111111111'])
      expect(passesLuhn(valid)).toBe(true);
    for (const invalid of ['1234567812345678', '4242424242424241', '', '4242 4242', 'abc'])
      expect(passesLuhn(invalid)).toBe(false);
  });
});

describe('isValidIban', () => {
  it('accepts valid IBANs with spaces and in any case', () => {
    expect(isValidIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(isValidIban('gb82 west 1234 5698 7654 32')).toBe(true);
  });

  it('rejects a wrong checksum, a wrong shape and a wrong length', () => {
    expect(isValidIban('DE89370400440532013001')).toBe(false);
    expect(isValidIban('GB82WEST1234569876543')).toBe(false);
    expect(isValidIban('1289370400440532013000')).toBe(false);
    expect(isValidIban('DE8937040044')).toBe(false);
    expect(isValidIban('DE89' + '1'.repeat(31))).toBe(false);
    expect(isValidIban('')).toBe(false);
  });
});

describe('card', () => {
  it('masks Luhn-valid numbers, grouped or not, showing the last four digits', () => {
    for (const card of ['4242 4242 4242 4242', '4242-4242-4242-4242', '4242424242424242'])
      expect(mask(`my card is ${card} thanks`)).toBe('my card is [card ending 4242] thanks');
    expect(mask('amex 3782 822463 10005.')).toBe('amex [card ending 0005].');
  });

  it('finds a card followed by its security digits', () => {
    expect(mask('4242 4242 4242 4242 123', ['card'])).toBe('[card ending 4242] 123');
  });

  it('leaves order numbers and longer digit runs visible', () => {
    expect(mask('order 1234567812345678 is late')).toBe('order 1234567812345678 is late');
    expect(mask('ref 94242424242424242', ['card'])).toBe('ref 94242424242424242');
    expect(mask('ref 42424242424242420000', ['card'])).toBe('ref 42424242424242420000');
  });
});

describe('iban', () => {
  it('masks valid IBANs, showing the last four characters upper-cased', () => {
    expect(mask('IBAN DE89 3704 0044 0532 0130 00 please')).toBe('IBAN [IBAN ending 3000] please');
    expect(mask('to GB82WEST12345698765432.')).toBe('to [IBAN ending 5432].');
    expect(mask('to gb82west12345698765432')).toBe('to [IBAN ending 5432]');
  });

  it('leaves an IBAN-looking string that fails mod 97 visible', () => {
    // The digits after DE89 fail Luhn too; about one digit run in ten passes it and is masked as a card.
    expect(mask('IBAN DE89 3704 0044 0532 0130 02')).toBe('IBAN DE89 3704 0044 0532 0130 02');
  });
});

describe('national_id', () => {
  it('masks US social security numbers and UK national insurance numbers', () => {
    expect(mask('SSN 123-45-6789.')).toBe('SSN [national ID hidden].');
    expect(mask('NI AB123456C and AB 12 34 56 C')).toBe('NI [national ID hidden] and [national ID hidden]');
  });

  it('leaves numbers that cannot be issued visible', () => {
    for (const text of ['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000'])
      expect(mask(text, ['national_id'])).toBe(text);
    for (const text of ['QQ123456C', 'QQ 12 34 56 C', 'GB123456A', 'AO123456B', 'AB123456E'])
      expect(mask(text, ['national_id'])).toBe(text);
  });
});

describe('passport', () => {
  it('masks only the number after the word passport', () => {
    expect(mask('my passport number is X1234567')).toBe('my passport number is [passport number hidden]');
    expect(mask('Passport: 123456789')).toBe('Passport: [passport number hidden]');
    expect(mask('passport no. AB1234567 ok')).toBe('passport no. [passport number hidden] ok');
    expect(mask('PASSPORT #X1234567')).toBe('PASSPORT #[passport number hidden]');
  });

  it('leaves words and numbers of the wrong size visible', () => {
    for (const text of ['my passport expired', 'passport number 12345', 'passport X1234567890', 'X1234567'])
      expect(mask(text, ['passport'])).toBe(text);
  });
});

describe('password', () => {
  it('masks the one token after password, passcode or pwd and is, : or =', () => {
    expect(mask('my password is hunter2!')).toBe('my password is [password hidden]');
    expect(mask('password: S3cret pass')).toBe('password: [password hidden] pass');
    expect(mask('Passcode = abc')).toBe('Passcode = [password hidden]');
    expect(mask('pwd=x')).toBe('pwd=[password hidden]');
  });

  it('treats a final full stop or comma as the sentence’s, any other punctuation as the password’s', () => {
    expect(findSensitive('my password is hunter2.', ['password'])).toEqual([
      { kind: 'password', start: 15, end: 22, replacement: '[password hidden]' },
    ]);
    expect(mask('password is a1, ok')).toBe('password is [password hidden], ok');
    expect(mask('password is hunter2?!')).toBe('password is [password hidden]');
  });

  it('leaves talk about a password visible', () => {
    for (const text of [
      'I forgot my password',
      'password reset link',
      "my password isn't working",
      'my password isn’t working',
      'my password is not working',
      'my password is wrong.',
    ])
      expect(mask(text, ['password'])).toBe(text);
  });
});

describe('one_time_code', () => {
  it('masks 4 to 8 digits after a code keyword', () => {
    expect(mask('the code is 482913')).toBe('the code is [code hidden]');
    expect(mask('OTP: 5521')).toBe('OTP: [code hidden]');
    expect(mask('my PIN is 1234.')).toBe('my PIN is [code hidden].');
    expect(mask('verification code = 12345678')).toBe('verification code = [code hidden]');
    expect(mask('your one-time password is 882211')).toBe('your one-time password is [code hidden]');
    expect(maskSensitive('one time password: 882211', ALL).masked).toEqual(['one_time_code']);
  });

  it('leaves public codes and the wrong number of digits visible', () => {
    for (const text of [
      'zip code 90210',
      'postal code is 10115',
      'post code 10115',
      'area code 415',
      'country code 44',
      'discount code 2024SALE',
      'promo code 1234',
      'coupon code 5678',
      'voucher code 9999',
      'error code 500',
      'error code 5001',
      'status code 4040',
      'order code 12345',
      'code 123',
      'code 123456789',
    ])
      expect(mask(text, ['one_time_code'])).toBe(text);
  });
});

describe('email', () => {
  it('masks addresses', () => {
    expect(mask('mail jamie.doe+shop@example.co.uk.', ['email'])).toBe('mail [email hidden].');
    expect(mask('<a_b@x-y.com>', ['email'])).toBe('<[email hidden]>');
  });

  it('leaves things that are not addresses visible', () => {
    for (const text of ['@handle', 'me@localhost', 'a@b', 'user@ example.com'])
      expect(mask(text, ['email'])).toBe(text);
  });
});

describe('phone', () => {
  it('masks numbers of 8 to 15 digits', () => {
    expect(mask('call +44 20 7946 0958 today', ['phone'])).toBe('call [phone hidden] today');
    expect(mask('(415) 555-2671', ['phone'])).toBe('[phone hidden]');
    expect(mask('+1-415-555-2671, thanks', ['phone'])).toBe('[phone hidden], thanks');
    expect(mask('415.555.2671', ['phone'])).toBe('[phone hidden]');
  });

  it('leaves dates, times, versions, amounts, short numbers and SSNs visible', () => {
    for (const text of [
      'on 2026-12-01 10:30',
      '01.12.2026',
      'v1.2.3 and 10.0.0.1',
      'it cost $1,299.00',
      'that is 1,299,000,000',
      'call 555 2671',
      '123-45-6789',
      '1234 5678 1234 5678',
    ])
      expect(mask(text, ['phone'])).toBe(text);
  });

  it('never masks a card as a phone, even with card masking off', () => {
    expect(mask('3782 822463 10005', ['phone'])).toBe('3782 822463 10005');
    expect(mask('3782 822463 10005')).toBe('[card ending 0005]');
  });

  it('keeps an SSN as a national ID when both kinds are on', () => {
    expect(mask('123-45-6789', ['national_id', 'phone'])).toBe('[national ID hidden]');
  });
});

describe('kinds', () => {
  const text = 'card 4242424242424242, mail a@example.com, phone +44 20 7946 0958';

  it('masks only the kinds asked for', () => {
    expect(mask(text, ['email'])).toBe('card 4242424242424242, mail [email hidden], phone +44 20 7946 0958');
    expect(mask(text, [])).toBe(text);
    expect(mask(text, DEFAULT_MASKED)).toBe(
      'card [card ending 4242], mail a@example.com, phone +44 20 7946 0958',
    );
  });

  it('defaults to everything except email and phone', () => {
    expect(DEFAULT_MASKED).toEqual(SENSITIVE_KINDS.filter((kind) => kind !== 'email' && kind !== 'phone'));
  });
});

describe('overlaps', () => {
  it('lets the earlier match win', () => {
    // The password token starts before the email inside it.
    expect(findSensitive('password: x@example.com', ['password', 'email'])).toEqual([
      { kind: 'password', start: 10, end: 23, replacement: '[password hidden]' },
    ]);
  });

  it('lets the longer match win at the same start, then the kind listed first', () => {
    expect(findSensitive('passport 123456789', ['passport', 'phone']).map((m) => m.kind)).toEqual([
      'passport',
    ]);
    expect(findSensitive('code 12345678', ['one_time_code', 'phone']).map((m) => m.kind)).toEqual([
      'one_time_code',
    ]);
    // The card number is the whole token; "4242" alone would be too short for anything else.
    expect(mask('password: 4242424242424242', ['password', 'card'])).toBe('password: [card ending 4242]');
  });

  it('returns matches in order and without overlap', () => {
    const matches = findSensitive(
      'a@b.co 4242 4242 4242 4242 DE89370400440532013000 123-45-6789 OTP 1234 +44 20 7946 0958',
      ALL,
    );
    expect(matches.map((m) => m.kind)).toEqual([
      'email',
      'card',
      'iban',
      'national_id',
      'one_time_code',
      'phone',
    ]);
    for (let i = 1; i < matches.length; i++)
      expect(matches[i]!.start).toBeGreaterThanOrEqual(matches[i - 1]!.end);
  });
});

describe('maskSensitive', () => {
  it('lists each masked kind once, in SENSITIVE_KINDS order', () => {
    const result = maskSensitive('OTP 1234, card 4242424242424242, OTP 9876 and x@y.com', ALL);
    expect(result.text).toBe(
      'OTP [code hidden], card [card ending 4242], OTP [code hidden] and [email hidden]',
    );
    expect(result.masked).toEqual(['card', 'one_time_code', 'email']);
  });

  it('returns text without sensitive data unchanged', () => {
    for (const text of [
      '',
      'Hi, my order #NW-482913 arrived broken on 2026-12-01, can I get a refund of $59.00?',
      'Héllo 👋🏽 wörld\u0000\u001b[31m\u202e',
      'I forgot my password and the zip code 90210 is right',
    ])
      expect(maskSensitive(text, ALL)).toEqual({ text, masked: [] });
  });
});

describe('robustness', () => {
  it('never throws on odd input', () => {
    const odd = [
      '\ud800',
      '🎉'.repeat(1000),
      '\u0000'.repeat(100),
      'password:',
      'code is',
      '+',
      '(((',
      '@@@',
    ];
    for (const text of odd) expect(() => maskSensitive(text, ALL)).not.toThrow();
    expect(mask('🎉 4242424242424242 🎉')).toBe('🎉 [card ending 4242] 🎉');
  });

  it('copes with long hostile input (a backtracking blow-up would hit the test timeout)', () => {
    const hostile = ['1 ', 'AB12 ', '1-', '1.', '(1) ', 'a.', 'password: ', 'code is ', 'passport no '];
    for (const unit of hostile)
      expect(() => maskSensitive(unit.repeat(100_000 / unit.length), ALL)).not.toThrow();
    expect(mask('a'.repeat(100_000) + '@example.com', ['email'])).toBe('a'.repeat(100_000) + '@example.com');
  });

  it('runs in linear time on 100 KB of digits and spaces and of "a@"', () => {
    const digits = Array.from({ length: 100_000 }, (_, i) => (i % 7 === 3 ? ' ' : String(i % 10))).join('');
    for (const text of [digits, 'a@'.repeat(50_000)]) {
      const started = performance.now();
      maskSensitive(text, ALL);
      expect(performance.now() - started).toBeLessThan(200);
    }
  });
});
