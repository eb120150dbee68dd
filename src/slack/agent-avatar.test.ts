import { describe, expect, it } from 'vitest';
import { acceptAvatarUrl, avatarFromProfile, avatarOrigins, SLACK_AVATAR_ORIGINS } from './agent-avatar.js';

const LOCAL = 'http://127.0.0.1:4123';
const origins = avatarOrigins(`${LOCAL}/`);

describe('avatarOrigins', () => {
  it("is Slack's image hosts, plus the local workspace's origin when there is one", () => {
    expect(avatarOrigins()).toEqual(['https://avatars.slack-edge.com']);
    expect(origins).toEqual([...SLACK_AVATAR_ORIGINS, LOCAL]);
    expect(avatarOrigins('not a url')).toEqual([...SLACK_AVATAR_ORIGINS]);
  });
});

describe('acceptAvatarUrl', () => {
  it("keeps uploaded pictures from Slack's host, as Slack writes them", () => {
    const uploaded = 'https://avatars.slack-edge.com/2024-01-02/123456_abcdef_72.jpg';
    expect(acceptAvatarUrl(uploaded, origins)).toBe(uploaded);
  });

  it('refuses the Gravatar default: its hash comes from the agent’s email address', () => {
    const gravatar =
      'https://secure.gravatar.com/avatar/dcd5bc53dcfaca62ddc3f5726d07ba13.jpg?s=72&d=https%3A%2F%2Fa.slack-edge.com%2Fdf10d%2Fimg%2Favatars%2Fava_0019-72.png';
    expect(acceptAvatarUrl(gravatar, origins)).toBeUndefined();
    expect(
      acceptAvatarUrl('https://a.slack-edge.com/df10d/img/avatars/ava_0019-72.png', origins),
    ).toBeUndefined();
  });

  it("keeps the local workspace's plain-http pictures, and only from its own origin", () => {
    expect(acceptAvatarUrl(`${LOCAL}/avatars/U0AGENTDANA_72.png`, origins)).toBe(
      `${LOCAL}/avatars/U0AGENTDANA_72.png`,
    );
    expect(acceptAvatarUrl('http://127.0.0.1:9999/avatars/U1_72.png', origins)).toBeUndefined();
    expect(acceptAvatarUrl(`${LOCAL}/avatars/U1_72.png`, [...SLACK_AVATAR_ORIGINS])).toBeUndefined();
  });

  it.each([
    ['plain http to a Slack host', 'http://avatars.slack-edge.com/a_72.jpg'],
    ['another https host', 'https://evil.example.com/a_72.jpg'],
    ['a look-alike host', 'https://avatars.slack-edge.com.evil.example/a.jpg'],
    ['credentials in the URL', 'https://user:pw@avatars.slack-edge.com/a.jpg'],
    ['a data URL', 'data:image/png;base64,iVBORw0KGgo='],
    ['javascript', 'javascript:alert(1)'],
    ['a relative path', '/avatars/U1_72.png'],
    ['an empty string', ''],
    ['not a string', 72],
    ['far too long', `https://avatars.slack-edge.com/${'a'.repeat(2000)}.jpg`],
  ])('refuses %s', (_why, value) => {
    expect(acceptAvatarUrl(value, origins)).toBeUndefined();
  });
});

describe('avatarFromProfile', () => {
  it('takes image_72, else image_192, else image_48; a bad one is passed over', () => {
    const at = (n: number) => `https://avatars.slack-edge.com/x_${n}.jpg`;
    expect(avatarFromProfile({ image_48: at(48), image_72: at(72), image_192: at(192) }, origins)).toBe(
      at(72),
    );
    expect(avatarFromProfile({ image_72: 'https://evil.example/x.jpg', image_192: at(192) }, origins)).toBe(
      at(192),
    );
    expect(avatarFromProfile({ image_72: 5, image_48: at(48) }, origins)).toBe(at(48));
  });

  it('is undefined without a usable picture', () => {
    expect(avatarFromProfile(undefined, origins)).toBeUndefined();
    expect(avatarFromProfile('nope', origins)).toBeUndefined();
    expect(avatarFromProfile({ image_72: '' }, origins)).toBeUndefined();
  });
});
