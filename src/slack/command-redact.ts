import { changeDeskSetting } from '../desk/settings-service.js';
import type { ServiceDeps } from '../ports.js';
import { SENSITIVE_KINDS, type SensitiveKind } from '../privacy/sensitive-data.js';
import type { CommandReply } from './command-settings.js';

const LABELS: Record<SensitiveKind, string> = {
  card: 'card numbers (Luhn-checked)',
  iban: 'IBANs (checksum-checked)',
  national_id: 'national ID numbers (US SSN, UK NI number)',
  passport: 'passport numbers',
  password: 'passwords ("my password is …")',
  one_time_code: 'one-time codes and PINs',
  email: 'email addresses',
  phone: 'phone numbers',
};

/** `/baton redact`: what is masked on cards, in threads and towards the model. */
export function describeRedaction(masked: readonly SensitiveKind[]): string {
  const line = (k: SensitiveKind) => `• \`${k}\` ${LABELS[k]}: ${masked.includes(k) ? '*masked*' : 'shown'}`;
  return [
    '*Personal data in Slack* (the customer’s own chat always shows what they typed; agents can reveal a masked value, and each reveal is audited)',
    ...SENSITIVE_KINDS.map(line),
    'Change one with `/baton redact on|off <kind>`. What goes to the language model is always masked for the first six.',
  ].join('\n');
}

/** An admin turns masking of one kind on or off: audited and announced with the change. */
export async function applyRedactCommand(
  deps: ServiceDeps,
  actor: string,
  change: { kind: SensitiveKind; on: boolean },
): Promise<CommandReply> {
  const { after } = await changeDeskSetting(deps, {
    actor,
    key: 'redaction',
    change: (r) => ({
      masked: SENSITIVE_KINDS.filter((k) => (k === change.kind ? change.on : r.masked.includes(k))),
    }),
    announce: () =>
      `:lock: <@${actor}> turned masking of ${LABELS[change.kind]} ${change.on ? 'on' : 'off'} in Slack.`,
  });
  return {
    text: `Done. ${LABELS[change.kind]} are now ${change.on ? 'masked' : 'shown'} in Slack.\n${describeRedaction(after.masked)}`,
  };
}
