import type { BusinessHours } from './desk-settings.js';

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** "mon-fri", "sat,sun", "mon,wed-fri", "daily" -> day numbers (0 = Sunday); undefined if malformed. */
export function parseDays(text: string): number[] | undefined {
  const lower = text.toLowerCase();
  if (lower === 'daily' || lower === 'everyday') return [0, 1, 2, 3, 4, 5, 6];
  const days = new Set<number>();
  for (const part of lower.split(',')) {
    const [a, b] = part.split('-');
    const start = DAY_NAMES.indexOf(a ?? '');
    const end = b === undefined ? start : DAY_NAMES.indexOf(b);
    if (start < 0 || end < 0) return undefined;
    for (let d = start; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === end) break;
    }
  }
  return [...days].sort();
}

/** An IANA zone name Intl accepts ("Europe/Berlin", "UTC"); bare abbreviations such as "CET" are refused. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}

/** The local weekday and HH:MM of an instant in a time zone. Intl does the zone math, DST included. */
export function localTime(now: Date, timeZone: string): { day: number; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: DAY_NAMES.indexOf(get('weekday').toLowerCase().slice(0, 3)),
    time: `${get('hour')}:${get('minute')}`,
  };
}

/** Whether the desk is open at `now`. No hours configured means always open. */
export function isOpen(hours: BusinessHours | undefined, now: Date): boolean {
  if (!hours) return true;
  const { day, time } = localTime(now, hours.timeZone);
  return hours.days.includes(day) && time >= hours.from && time < hours.to;
}

export function describeHours(hours: BusinessHours | undefined): string {
  if (!hours) return 'Always open (no business hours set).';
  const days = hours.days.map((d) => DAY_NAMES[d]).join(', ');
  return `${days}, ${hours.from}–${hours.to} (${hours.timeZone})`;
}
