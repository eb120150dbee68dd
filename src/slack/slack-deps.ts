import type { ServiceDeps } from '../ports.js';

/** What the Slack listeners need beyond the services: the channel they watch. */
export interface SlackListenerDeps {
  services: ServiceDeps;
  handoffChannel: string;
}
