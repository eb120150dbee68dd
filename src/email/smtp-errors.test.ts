import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './smtp-errors.js';
import { isSingleAddress } from './smtp-transport.js';

const err = (code: string, responseCode?: number) =>
  Object.assign(new Error('550 5.1.1 <pat@example.com>: no such user'), { code, responseCode });

describe('classifySmtpError', () => {
  it('treats 5xx replies as permanent, except 503', () => {
    expect(classifySmtpError(err('EENVELOPE', 550))).toEqual({ permanent: true, code: 'EENVELOPE_550' });
    expect(classifySmtpError(err('EMESSAGE', 552))).toEqual({ permanent: true, code: 'EMESSAGE_552' });
    expect(classifySmtpError(err('EENVELOPE', 503)).permanent).toBe(false);
  });

  it('retries 4xx replies, connection problems and SMTP configuration errors', () => {
    expect(classifySmtpError(err('EENVELOPE', 451))).toEqual({ permanent: false, code: 'EENVELOPE_451' });
    expect(classifySmtpError(err('ECONNECTION'))).toEqual({ permanent: false, code: 'ECONNECTION' });
    expect(classifySmtpError(err('ETIMEDOUT')).permanent).toBe(false);
    expect(classifySmtpError(err('EAUTH', 535))).toEqual({ permanent: false, code: 'EAUTH_535' });
    expect(classifySmtpError(new Error('boom'))).toEqual({ permanent: false, code: 'ESEND' });
  });

  it('treats an envelope refused before reaching the server as permanent', () => {
    expect(classifySmtpError(err('EENVELOPE'))).toEqual({ permanent: true, code: 'EENVELOPE' });
  });

  it('never lets the reply text (which quotes the address) into the code', () => {
    expect(classifySmtpError(err('550 <pat@example.com>', 550)).code).toBe('ESEND_550');
  });
});

describe('isSingleAddress', () => {
  it('accepts one plain address and refuses lists, names and header tricks', () => {
    expect(isSingleAddress('pat.customer+tag@example.co.uk')).toBe(true);
    for (const bad of [
      'a@x.example, b@y.example',
      'Pat <pat@x.example>',
      'pat@x.example\r\nBcc: v@y.example',
      'pat',
      'pat@localhost',
    ]) {
      expect(isSingleAddress(bad)).toBe(false);
    }
  });
});
