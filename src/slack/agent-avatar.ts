import { z } from 'zod';

/**
 * Where Slack serves pictures people uploaded. Someone without one has a Gravatar URL
 * (`secure.gravatar.com/avatar/<hash>`), and that hash is derived from their email address: handing
 * it to every customer would let anyone check a guessed work address. Such agents show their initial.
 */
export const SLACK_AVATAR_ORIGINS: readonly string[] = ['https://avatars.slack-edge.com'];

/**
 * The one list of image origins the chat page may load an agent's picture from: the chat page's CSP
 * `img-src` names exactly these, and a profile URL from anywhere else is not kept (it would only be
 * blocked in the customer's browser). With the local workspace, its own origin is added.
 */
export function avatarOrigins(localWorkspaceUrl?: string): string[] {
  const local = localWorkspaceUrl ? originOf(localWorkspaceUrl) : undefined;
  return local ? [...SLACK_AVATAR_ORIGINS, local] : [...SLACK_AVATAR_ORIGINS];
}

function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

const MAX_URL_CHARS = 1024;

/** The sizes Slack offers, smallest useful first: 72 px covers a 24–36 px circle on a 2x screen. */
const profileImages = z.object({
  image_72: z.string().optional().catch(undefined),
  image_192: z.string().optional().catch(undefined),
  image_48: z.string().optional().catch(undefined),
});

/**
 * Checks one picture URL: from one of `origins` (https for Slack's; the local workspace's own origin
 * is plain http on loopback), with no credentials. Anything else is undefined: no picture, the
 * chat shows the initial.
 */
export function acceptAvatarUrl(value: unknown, origins: readonly string[]): string | undefined {
  const parsed = z.string().min(1).max(MAX_URL_CHARS).safeParse(value);
  if (!parsed.success) return undefined;
  let url: URL;
  try {
    url = new URL(parsed.data);
  } catch {
    return undefined;
  }
  if (url.username || url.password) return undefined;
  // An origin carries its scheme: Slack's are https, so plain http is only ever the local workspace's.
  if (!origins.includes(url.origin)) return undefined;
  return url.href;
}

/** The picture to show for a users.info `profile` (of unknown shape: it is Slack's payload). */
export function avatarFromProfile(profile: unknown, origins: readonly string[]): string | undefined {
  const images = profileImages.safeParse(profile ?? {});
  if (!images.success) return undefined;
  const { image_72, image_192, image_48 } = images.data;
  for (const candidate of [image_72, image_192, image_48]) {
    const url = acceptAvatarUrl(candidate, origins);
    if (url) return url;
  }
  return undefined;
}
