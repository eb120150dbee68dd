import type { App } from '@slack/bolt';
import { z } from 'zod';
import { isTriggerChange, parseBatonCommand } from '../../desk/command-parser.js';
import { authorize } from '../../desk/command-rights.js';
import { applySettingsCommand } from '../command-settings.js';
import type { SlackListenerDeps } from '../slack-deps.js';
import { TRIGGERS_APPLY_ACTION } from '../trigger-replay-blocks.js';
import { listenerLog } from './listener-log.js';

const applyClick = z.object({
  user: z.object({ id: z.string().min(1) }),
  actions: z.array(z.object({ value: z.string().max(2000) })).min(1),
});

/**
 * "Apply this change" under a `/baton triggers test` report: the change the report replayed, applied
 * as `/baton trigger …` would apply it (admins only, audited and announced with it). The button
 * carries the command's words, read again by the same parser: a forged or stale value is refused.
 */
export function registerTriggersApply(app: App, deps: SlackListenerDeps): void {
  app.action(TRIGGERS_APPLY_ACTION, async ({ ack, body, respond }) => {
    await ack();
    const log = listenerLog(deps.services.log, 'triggers_apply', body);
    const answer = (text: string, replace: boolean) =>
      respond({ response_type: 'ephemeral', replace_original: replace, text }).catch((error: unknown) =>
        log.warn({ err: error }, 'trigger apply answer not delivered'),
      );
    const click = applyClick.safeParse(body);
    if (!click.success) {
      log.warn({ fields: click.error.issues.map((i) => i.path.join('.')) }, 'apply click not understood');
      return;
    }
    const userId = click.data.user.id;
    const parsed = parseBatonCommand(click.data.actions[0]!.value);
    if (!parsed.ok || !isTriggerChange(parsed.command)) {
      log.warn('apply button carried no trigger change');
      await answer('That button does not hold a trigger change. Run `/baton triggers test …` again.', false);
      return;
    }
    const change = parsed.command;
    if (!(await authorize(deps.services, userId, change)).allowed) {
      await answer(
        'Only Baton admins (BATON_ADMINS) and workspace admins or owners can change settings.',
        false,
      );
      return;
    }
    const reply = await applySettingsCommand(deps.services, userId, change).catch((error: unknown) => {
      log.error({ err: error }, 'applying a tested trigger change failed');
      return undefined;
    });
    await answer(
      reply ? reply.text : 'Something went wrong on our side; nothing was changed. Please try again.',
      Boolean(reply),
    );
  });
}
