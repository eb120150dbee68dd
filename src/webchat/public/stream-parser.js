// Incremental Server-Sent Events parser (WHATWG "event stream interpretation").
// Pure: no DOM, no network. Feed it decoded text chunks in order; it calls
// `onEvent({ event, data, id })` once per complete frame and `onComment(text)`
// for comment lines (": ping"). Frames and even line endings may be split
// across chunks.

/**
 * @typedef {{ event: string, data: string, id: string | undefined }} SseEvent
 * @param {{ onEvent: (e: SseEvent) => void, onComment?: (text: string) => void }} handlers
 */
export function createSseParser({ onEvent, onComment }) {
  let buffer = '';
  let pendingCR = false; // previous chunk ended with "\r": a "\n" may follow
  let dataLines = [];
  let eventType = '';
  let eventId;
  let lastEventId;
  let started = false; // BOM check done

  function dispatch() {
    if (dataLines.length === 0) {
      eventType = '';
      eventId = undefined;
      return;
    }
    const frame = {
      event: eventType || 'message',
      data: dataLines.join('\n'),
      id: eventId,
    };
    if (eventId !== undefined) lastEventId = eventId;
    dataLines = [];
    eventType = '';
    eventId = undefined;
    onEvent(frame);
  }

  function processLine(line) {
    if (line === '') {
      dispatch();
      return;
    }
    if (line.startsWith(':')) {
      onComment?.(line.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = line.indexOf(':');
    let field = line;
    let value = '';
    if (colon !== -1) {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
    }
    switch (field) {
      case 'data':
        dataLines.push(value);
        break;
      case 'event':
        eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) eventId = value;
        break;
      default:
        // "retry" and unknown fields are ignored: reconnection is ours.
        break;
    }
  }

  return {
    /** @param {string} chunk */
    push(chunk) {
      if (!chunk) return;
      let text = chunk;
      if (!started) {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (pendingCR) {
        pendingCR = false;
        if (text.startsWith('\n')) text = text.slice(1);
      }
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const ch = buffer.charCodeAt(i);
        if (ch !== 10 && ch !== 13) continue;
        processLine(buffer.slice(start, i));
        if (ch === 13) {
          if (i + 1 === buffer.length) {
            pendingCR = true;
          } else if (buffer.charCodeAt(i + 1) === 10) {
            i++;
          }
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    /** End of stream: an unterminated frame is discarded, as the spec says. */
    end() {
      buffer = '';
      dataLines = [];
      eventType = '';
      eventId = undefined;
      pendingCR = false;
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}
