/**
 * Wall-clock conversions in IANA zones and fixed offsets ('GMT', 'UTC', 'GMT+08', 'GMT+5:30'),
 * with Intl.DateTimeFormat. Unknown zone ids fall back to GMT silently, as Java does (X1.1, INF).
 */
export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** ISO day of week: 1 = Monday … 7 = Sunday */
  isoWeekday: number;
}

type Zone = { kind: 'fixed'; offsetMinutes: number; id: string } | { kind: 'iana'; id: string };

const zoneCache = new Map<string, Zone>();
const formatterCache = new Map<string, Intl.DateTimeFormat>();

export function resolveZone(id: string): Zone {
  const cached = zoneCache.get(id);
  if (cached) return cached;
  let zone: Zone;
  const fixed = /^(?:GMT|UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(id.trim());
  if (id === 'GMT' || id === 'UTC' || id === 'Z' || id === 'Etc/UTC' || id === 'Etc/GMT') zone = { kind: 'fixed', offsetMinutes: 0, id: 'GMT' };
  else if (fixed && /^(GMT|UTC)[+-]/.test(id.trim())) {
    const sign = fixed[1] === '-' ? -1 : 1;
    zone = { kind: 'fixed', offsetMinutes: sign * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)), id };
  } else {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: id });
      zone = { kind: 'iana', id };
    } catch {
      zone = { kind: 'fixed', offsetMinutes: 0, id: 'GMT' };
    }
  }
  zoneCache.set(id, zone);
  return zone;
}

function formatter(id: string): Intl.DateTimeFormat {
  let f = formatterCache.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: id, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short',
    });
    formatterCache.set(id, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Offset of the zone from UTC at the instant, in minutes. */
export function offsetMinutes(instantMs: number, tz: string): number {
  const zone = resolveZone(tz);
  if (zone.kind === 'fixed') return zone.offsetMinutes;
  const w = wallClockIana(instantMs, zone.id);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - (instantMs - w.millisecond)) / 60000);
}

export function wallClock(instantMs: number, tz: string): WallClock {
  const zone = resolveZone(tz);
  if (zone.kind === 'fixed') return utcWallClock(instantMs + zone.offsetMinutes * 60000);
  return wallClockIana(instantMs, zone.id);
}

function wallClockIana(instantMs: number, id: string): WallClock {
  const parts = formatter(id).formatToParts(new Date(instantMs));
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  let year = Number(get('year'));
  if (parts.some((p) => p.type === 'era' && p.value === 'BC')) year = 1 - year;
  return {
    year, month: Number(get('month')), day: Number(get('day')), hour: Number(get('hour')) % 24,
    minute: Number(get('minute')), second: Number(get('second')),
    millisecond: ((instantMs % 1000) + 1000) % 1000, isoWeekday: WEEKDAYS[get('weekday')],
  };
}

function utcWallClock(ms: number): WallClock {
  const d = new Date(ms);
  const dow = d.getUTCDay();
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(),
    minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds(), isoWeekday: dow === 0 ? 7 : dow,
  };
}

/** The instant at which the zone's clocks show the given wall-clock time (gaps resolve forward). */
export function fromWallClock(tz: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const off1 = offsetMinutes(guess, tz);
  let t = guess - off1 * 60000;
  const off2 = offsetMinutes(t, tz);
  if (off2 !== off1) t = guess - off2 * 60000;
  return t;
}

/** Short zone name as Java prints it for 'z' ('GMT', 'BST', 'EST'). */
export function shortZoneName(instantMs: number, tz: string): string {
  const zone = resolveZone(tz);
  if (zone.kind === 'fixed') return zone.offsetMinutes === 0 ? 'GMT' : `GMT${formatOffset(zone.offsetMinutes, true)}`;
  for (const locale of ['en-US', 'en-GB']) {
    const name = new Intl.DateTimeFormat(locale, { timeZone: zone.id, timeZoneName: 'short' })
      .formatToParts(new Date(instantMs)).find((p) => p.type === 'timeZoneName')?.value;
    if (name && !/^(GMT|UTC)[+-]/.test(name)) return name === 'UTC' ? 'UTC' : name;
  }
  const off = offsetMinutes(instantMs, tz);
  return off === 0 ? 'GMT' : `GMT${formatOffset(off, true)}`;
}

export function longZoneName(instantMs: number, tz: string): string {
  const zone = resolveZone(tz);
  if (zone.kind === 'fixed') return zone.offsetMinutes === 0 ? 'Greenwich Mean Time' : `GMT${formatOffset(zone.offsetMinutes, true)}`;
  return new Intl.DateTimeFormat('en-US', { timeZone: zone.id, timeZoneName: 'long' })
    .formatToParts(new Date(instantMs)).find((p) => p.type === 'timeZoneName')?.value ?? zone.id;
}

export function formatOffset(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return colon ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
}
