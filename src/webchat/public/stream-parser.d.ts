// Types for stream-parser.js (the chat page's own SSE parser, plain JS served to browsers), so Node-side
// code such as the benchmarks can use the same parser instead of another one.
export interface SseEvent {
  event: string;
  data: string;
  id: string | undefined;
}

export function createSseParser(handlers: {
  onEvent: (event: SseEvent) => void;
  onComment?: (text: string) => void;
}): { push(chunk: string): void; readonly lastEventId: string | undefined };
