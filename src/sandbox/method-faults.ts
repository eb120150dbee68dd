/**
 * Slack weather on demand, per Web API method, for tests and chaos runs: a method can be slow,
 * rate-limited, fail with any error code, succeed and then answer too late for the caller
 * (the case that tempts a client to post twice), or drop the connection without an answer.
 */

export type MethodFault =
  | { kind: 'slow'; ms: number }
  | { kind: 'ratelimited'; retryAfterSeconds: number }
  | { kind: 'error'; error: string }
  /** The call takes effect, but the answer comes after `ms` (past the caller's timeout). */
  | { kind: 'late_success'; ms: number }
  /** The connection is closed before an answer, and the call takes no effect (a reset or a proxy's drop). */
  | { kind: 'dropped' };

interface Armed {
  fault: MethodFault;
  /** Calls left to affect; undefined means until cleared. */
  remaining: number | undefined;
}

export interface MethodFaults {
  set(method: string, fault: MethodFault | undefined, times?: number): void;
  /** The fault for this call, if any (counts one use). */
  take(method: string): MethodFault | undefined;
  clear(): void;
}

export function createMethodFaults(): MethodFaults {
  const armed = new Map<string, Armed>();
  return {
    set(method, fault, times) {
      if (!fault) armed.delete(method);
      else armed.set(method, { fault, remaining: times });
    },
    take(method) {
      const a = armed.get(method) ?? armed.get('*');
      if (!a) return undefined;
      if (a.remaining !== undefined) {
        a.remaining -= 1;
        if (a.remaining <= 0) armed.delete(armed.has(method) ? method : '*');
      }
      return a.fault;
    },
    clear: () => armed.clear(),
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
