import { describe, expect, it } from 'vitest';
import { createSseParser } from './stream-parser.js';

type Frame = { event: string; data: string; id: string | undefined };

function collect() {
  const events: Frame[] = [];
  const comments: string[] = [];
  const parser = createSseParser({
    onEvent: (e: Frame) => events.push(e),
    onComment: (c: string) => comments.push(c),
  });
  return { parser, events, comments };
}

const MESSAGE = 'id: 7\nevent: message\ndata: {"id":"m7","seq":7,"text":"hi"}\n\n';

describe('createSseParser', () => {
  it('parses a complete frame with id, event and data', () => {
    const { parser, events } = collect();
    parser.push(MESSAGE);
    expect(events).toEqual([{ event: 'message', data: '{"id":"m7","seq":7,"text":"hi"}', id: '7' }]);
    expect(parser.lastEventId).toBe('7');
  });

  it('reassembles frames split across chunks at every possible position', () => {
    const stream = `${MESSAGE}: ping\n\nevent: status\ndata: {"id":"c1","status":"claimed"}\n\n`;
    for (let cut = 1; cut < stream.length; cut++) {
      const { parser, events, comments } = collect();
      parser.push(stream.slice(0, cut));
      parser.push(stream.slice(cut));
      expect(events.map((e) => e.event)).toEqual(['message', 'status']);
      expect(events[1]).toEqual({ event: 'status', data: '{"id":"c1","status":"claimed"}', id: undefined });
      expect(comments).toEqual(['ping']);
    }
  });

  it('handles one character at a time and CRLF / CR line endings split between chunks', () => {
    const { parser, events } = collect();
    const text = 'id: 1\r\nevent: message\r\ndata: a\r\n\r\nid: 2\rdata: b\r\r';
    for (const ch of text) parser.push(ch);
    expect(events).toEqual([
      { event: 'message', data: 'a', id: '1' },
      { event: 'message', data: 'b', id: '2' },
    ]);
  });

  it('joins multi-line data with newlines', () => {
    const { parser, events } = collect();
    parser.push('event: message\ndata: line one\ndata:line two\ndata\n\n');
    expect(events[0]!.data).toBe('line one\nline two\n');
  });

  it('reports comments, ignores unknown fields and frames without data', () => {
    const { parser, events, comments } = collect();
    parser.push(': ping\n\nretry: 1000\nfoo: bar\n\nevent: status\n\n:hello\n\n');
    expect(events).toEqual([]);
    expect(comments).toEqual(['ping', 'hello']);
  });

  it('defaults the event type to "message" and resets fields between frames', () => {
    const { parser, events } = collect();
    parser.push('event: status\ndata: x\n\ndata: y\n\n');
    expect(events).toEqual([
      { event: 'status', data: 'x', id: undefined },
      { event: 'message', data: 'y', id: undefined },
    ]);
  });

  it('drops an unterminated frame at end of stream and strips a leading BOM', () => {
    const { parser, events } = collect();
    parser.push('\uFEFFdata: whole\n\ndata: partial');
    parser.end();
    parser.push('\n\n');
    expect(events.map((e) => e.data)).toEqual(['whole']);
  });

  it('keeps multi-byte text intact when chunks come from a streaming TextDecoder', () => {
    const { parser, events } = collect();
    const bytes = new TextEncoder().encode('data: {"text":"Grüße 👋"}\n\n');
    const decoder = new TextDecoder();
    for (const b of bytes) parser.push(decoder.decode(new Uint8Array([b]), { stream: true }));
    expect(JSON.parse(events[0]!.data)).toEqual({ text: 'Grüße 👋' });
  });
});
