import { describe, expect, it } from 'vitest';
import { createLiveHub } from './live-hub.js';

describe('the live hub', () => {
  it('counts every change published, to watched and unwatched conversations, and every fleet notice', () => {
    const hub = createLiveHub();
    const heard: string[] = [];
    hub.subscribe('c1', (event) => heard.push(event.kind));
    const before = hub.changes();
    hub.status('c1', 'waiting');
    hub.status('nobody-watches', 'claimed');
    expect(hub.changes()).toBe(before + 2);
    hub.heard();
    expect(hub.changes()).toBe(before + 3);
    expect(heard).toEqual(['status']);
  });
});
