import { describe, expect, it } from 'vitest';
import { parseBatonCommand } from './command-parser.js';
import { authorize, requiresAdmin } from './command-rights.js';

const command = (text: string) => {
  const parsed = parseBatonCommand(text);
  if (!parsed.ok) throw new Error(`test command does not parse: ${text}`);
  return parsed.command;
};

describe('requiresAdmin', () => {
  it.each([
    'trigger requested off',
    'trigger confidence 0.5',
    'trigger sentiment -0.5',
    'trigger turns 4',
    'trigger keywords add refund',
    'routing skill',
    'skills @dana billing',
    'capacity @dana 2',
    'route topic:billing #general',
    'message handoff One moment please',
    'hours mon-fri 09:00-17:00 Europe/Berlin',
    'hours off',
    'widget color #0a7d55',
    'widget reset title',
  ])('needs an admin for "%s"', (text) => {
    expect(requiresAdmin(command(text))).toBe(true);
  });

  it.each([
    'help',
    'presence',
    'presence busy',
    'triggers',
    'hours',
    'widget',
    'stats 7d',
    'resolve',
    'transfer @sam',
  ])('is open to every agent for "%s"', (text) => {
    expect(requiresAdmin(command(text))).toBe(false);
  });
});

describe('authorize', () => {
  const workspace = (admins: string[]) => {
    const asked: string[] = [];
    const isWorkspaceAdmin = (userId: string) => {
      asked.push(userId);
      return Promise.resolve(admins.includes(userId));
    };
    return { asked, deps: { workspace: { isWorkspaceAdmin } } };
  };

  it('lets an admin change settings and refuses everyone else', async () => {
    const { deps } = workspace(['UADMIN']);
    expect(await authorize(deps, 'UADMIN', command('routing skill'))).toEqual({ allowed: true });
    expect(await authorize(deps, 'UAGENT', command('routing skill'))).toEqual({
      allowed: false,
      reason: 'admin_only',
    });
  });

  it('does not ask Slack about commands open to everyone', async () => {
    const { asked, deps } = workspace([]);
    expect(await authorize(deps, 'UAGENT', command('presence busy'))).toEqual({ allowed: true });
    expect(asked).toEqual([]);
  });
});
