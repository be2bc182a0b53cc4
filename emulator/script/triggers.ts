/**
 * ScriptApp installable triggers (T1.x): builders, the 20-per-user cap (T1.4), add-on rules (T1.9:
 * one trigger of each type per user per document; time-driven at most hourly), schedules on the
 * modelled clock and the time-driven event object (T1.7).
 */
import { exception } from '../runtime/errors';
import type { Runtime } from '../runtime/runtime';
import { fromWallClock, wallClock } from '../utilities/timezone';

export type TriggerType = 'CLOCK' | 'ON_OPEN' | 'ON_EDIT' | 'ON_CHANGE' | 'ON_FORM_SUBMIT';

export type Schedule =
  | { kind: 'after'; ms: number }
  | { kind: 'at'; atMs: number }
  | { kind: 'minutes'; every: number }
  | { kind: 'hours'; every: number }
  | { kind: 'days'; every: number; hour: number; minute: number }
  | { kind: 'weeks'; every: number; weekDay: number; hour: number; minute: number }
  | { kind: 'monthDay'; day: number; hour: number; minute: number }
  | { kind: 'event' };

export interface TriggerModel {
  id: string;
  handler: string;
  type: TriggerType;
  owner: string;
  schedule: Schedule;
  timeZone: string;
  sourceId: string | null;
  /** next due instant for time-driven triggers */
  nextRunMs: number | null;
}

export const WeekDay = { MONDAY: 'MONDAY', TUESDAY: 'TUESDAY', WEDNESDAY: 'WEDNESDAY', THURSDAY: 'THURSDAY', FRIDAY: 'FRIDAY', SATURDAY: 'SATURDAY', SUNDAY: 'SUNDAY' } as const;
const ISO_WEEKDAY: Record<string, number> = { MONDAY: 1, TUESDAY: 2, WEDNESDAY: 3, THURSDAY: 4, FRIDAY: 5, SATURDAY: 6, SUNDAY: 7 };
export const EventType = { CLOCK: 'CLOCK', ON_OPEN: 'ON_OPEN', ON_EDIT: 'ON_EDIT', ON_FORM_SUBMIT: 'ON_FORM_SUBMIT', ON_CHANGE: 'ON_CHANGE', ON_EVENT_UPDATED: 'ON_EVENT_UPDATED' } as const;
export const TriggerSource = { SPREADSHEETS: 'SPREADSHEETS', CLOCK: 'CLOCK', FORMS: 'FORMS', DOCUMENTS: 'DOCUMENTS', CALENDAR: 'CALENDAR' } as const;
export const AuthMode = { NONE: 'NONE', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', LIMITED: 'LIMITED', FULL: 'FULL' } as const;

export const MAX_TRIGGERS_PER_USER = 20; // E0.5, T1.4
export const TOO_MANY_TRIGGERS = 'This script has too many triggers. Triggers must be deleted from the script before more can be added.';
/** T1.9 (INF text: Google's wording for this refusal is not documented). */
export const ADDON_ONE_PER_TYPE = 'Add-ons can only have one trigger of each type, per user, per document. Delete the existing trigger before creating another.';
/** T1.9 (INF text). */
export const ADDON_HOURLY = 'Add-on time-driven triggers cannot run more frequently than once per hour.';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export class Trigger {
  constructor(private readonly runtime: Runtime, readonly model: TriggerModel) {}
  private g(m: string): void { this.runtime.gate(`ScriptApp.Trigger.${m}`); }
  getHandlerFunction(): string { this.g('getHandlerFunction'); return this.model.handler; }
  getEventType(): string { this.g('getEventType'); return this.model.type; }
  getTriggerSource(): string { this.g('getTriggerSource'); return this.model.type === 'CLOCK' ? 'CLOCK' : 'SPREADSHEETS'; }
  getTriggerSourceId(): string | null { this.g('getTriggerSourceId'); return this.model.type === 'CLOCK' ? null : this.model.sourceId; }
  getUniqueId(): string { this.g('getUniqueId'); return this.model.id; }
}

export class TriggerStore {
  readonly triggers: TriggerModel[] = [];
  private seq = 0;
  constructor(
    private readonly runtime: Runtime,
    private readonly containerId: string | null,
    /** T1.9 applies to add-ons; a plain bound script has only the 20-trigger cap. */
    readonly addOnRules: boolean,
  ) {}

  private currentUser(): string {
    const e = this.runtime.current;
    return e ? e.effectiveUser || e.user : this.runtime.owner;
  }

  add(t: Omit<TriggerModel, 'id' | 'owner' | 'nextRunMs'>): TriggerModel {
    const owner = this.currentUser();
    const mine = this.triggers.filter((x) => x.owner === owner);
    if (mine.length >= MAX_TRIGGERS_PER_USER) throw exception(TOO_MANY_TRIGGERS);
    if (this.addOnRules && mine.some((x) => x.type === t.type && x.sourceId === t.sourceId)) throw exception(ADDON_ONE_PER_TYPE);
    this.seq += 1;
    const model: TriggerModel = { ...t, id: String(8_000_000_000 + this.seq * 7919), owner, nextRunMs: null };
    model.nextRunMs = firstRun(model.schedule, this.runtime.clock.nowMs(), model.timeZone);
    this.triggers.push(model);
    return model;
  }

  /** The earliest time-driven trigger due at or before `untilMs`. */
  nextDue(untilMs: number): TriggerModel | null {
    let best: TriggerModel | null = null;
    for (const t of this.triggers) {
      if (t.nextRunMs !== null && t.nextRunMs <= untilMs && (!best || t.nextRunMs < best.nextRunMs!)) best = t;
    }
    return best;
  }

  /** After a run: schedule the next occurrence, or drop a one-shot trigger (INF: Google leaves it disabled). */
  advance(t: TriggerModel): void {
    const next = t.nextRunMs === null ? null : nextRun(t.schedule, t.nextRunMs, t.timeZone);
    if (next === null) this.remove(t.id);
    else t.nextRunMs = next;
  }

  remove(id: string): void {
    const i = this.triggers.findIndex((t) => t.id === id);
    if (i >= 0) this.triggers.splice(i, 1);
  }

  service() {
    const runtime = this.runtime;
    const store = this;
    const g = (m: string) => runtime.gate(`ScriptApp.${m}`);
    return {
      AuthMode,
      WeekDay,
      EventType,
      TriggerSource,
      AuthorizationStatus: { REQUIRED: 'REQUIRED', NOT_REQUIRED: 'NOT_REQUIRED' },
      getScriptId: () => { g('getScriptId'); return '1EmuScript0000000000000000000000000000000001'; },
      getAuthorizationInfo: (_mode: string) => {
        g('getAuthorizationInfo');
        return { getAuthorizationStatus: () => 'NOT_REQUIRED', getAuthorizationUrl: () => null, getAuthorizedScopes: () => [...(runtime.scopes ?? [])] };
      },
      newTrigger: (functionName: string) => {
        g('newTrigger');
        return new TriggerBuilder(runtime, store, String(functionName), store.containerId);
      },
      getProjectTriggers: (): Trigger[] => {
        g('getProjectTriggers');
        const me = store.currentUser();
        return store.triggers.filter((t) => t.owner === me).map((t) => new Trigger(runtime, t));
      },
      getUserTriggers: (file: { getId(): string }): Trigger[] => {
        g('getUserTriggers');
        const me = store.currentUser();
        const id = runtime.direct(() => file.getId());
        return store.triggers.filter((t) => t.owner === me && t.sourceId === id).map((t) => new Trigger(runtime, t));
      },
      deleteTrigger: (trigger: Trigger): void => {
        g('deleteTrigger');
        store.remove(trigger.model.id);
      },
    };
  }
}

class TriggerBuilder {
  constructor(private readonly runtime: Runtime, private readonly store: TriggerStore, private readonly handler: string, private readonly containerId: string | null) {}
  timeBased(): ClockTriggerBuilder {
    this.runtime.gate('ScriptApp.TriggerBuilder.timeBased');
    return new ClockTriggerBuilder(this.runtime, this.store, this.handler, this.containerId);
  }
  forSpreadsheet(ss: string | { getId(): string }): SpreadsheetTriggerBuilder {
    this.runtime.gate('ScriptApp.TriggerBuilder.forSpreadsheet');
    const id = typeof ss === 'string' ? ss : this.runtime.direct(() => ss.getId());
    // T1.9: add-ons can only create triggers for the file in which the add-on is used (INF text)
    if (this.store.addOnRules && id !== this.containerId) throw exception('Add-ons can only create triggers for the file in which the add-on is used.');
    return new SpreadsheetTriggerBuilder(this.runtime, this.store, this.handler, id);
  }
}

class SpreadsheetTriggerBuilder {
  private type: TriggerType | null = null;
  constructor(private readonly runtime: Runtime, private readonly store: TriggerStore, private readonly handler: string, private readonly sourceId: string) {}
  private set(m: string, t: TriggerType): this { this.runtime.gate(`ScriptApp.SpreadsheetTriggerBuilder.${m}`); this.type = t; return this; }
  onOpen(): this { return this.set('onOpen', 'ON_OPEN'); }
  onEdit(): this { return this.set('onEdit', 'ON_EDIT'); }
  onChange(): this { return this.set('onChange', 'ON_CHANGE'); }
  onFormSubmit(): this { return this.set('onFormSubmit', 'ON_FORM_SUBMIT'); }
  create(): Trigger {
    this.runtime.gate('ScriptApp.SpreadsheetTriggerBuilder.create');
    if (!this.type) throw exception('Trigger event type is missing. Call onOpen(), onEdit(), onChange() or onFormSubmit() before create().'); // INF
    const model = this.store.add({ handler: this.handler, type: this.type, schedule: { kind: 'event' }, timeZone: this.runtime.scriptTimeZone, sourceId: this.sourceId });
    return new Trigger(this.runtime, model);
  }
}

class ClockTriggerBuilder {
  private afterMs: number | null = null;
  private atMs: number | null = null;
  private minutes: number | null = null;
  private hours: number | null = null;
  private days: number | null = null;
  private weeks: number | null = null;
  private weekDay: number | null = null;
  private monthDay: number | null = null;
  private hour: number | null = null;
  private minute: number | null = null;
  private tz: string;
  constructor(private readonly runtime: Runtime, private readonly store: TriggerStore, private readonly handler: string, private readonly containerId: string | null) {
    this.tz = runtime.scriptTimeZone; // T1.2: "By default, the timezone is that of the script"
  }
  private step(m: string, fn: () => void): this { this.runtime.gate(`ScriptApp.ClockTriggerBuilder.${m}`); fn(); return this; }
  after(ms: number): this { return this.step('after', () => { this.afterMs = ms; }); }
  at(date: Date): this { return this.step('at', () => { this.atMs = new Date(date).getTime(); }); }
  atDate(y: number, m: number, d: number): this { return this.step('atDate', () => { this.atMs = fromWallClock(this.tz, y, m, d); }); }
  atHour(h: number): this {
    return this.step('atHour', () => {
      if (!Number.isInteger(h) || h < 0 || h > 23) throw exception('Hour must be between 0 and 23.'); // INF
      this.hour = h;
    });
  }
  nearMinute(m: number): this {
    return this.step('nearMinute', () => {
      if (!Number.isInteger(m) || m < 0 || m > 59) throw exception('Minute must be between 0 and 59.'); // INF
      this.minute = m;
    });
  }
  everyMinutes(n: number): this {
    return this.step('everyMinutes', () => {
      if (![1, 5, 10, 15, 30].includes(n)) throw exception('The value passed to everyMinutes must be 1, 5, 10, 15 or 30.'); // T1.2 rule, INF text
      this.minutes = n;
    });
  }
  everyHours(n: number): this { return this.step('everyHours', () => { this.hours = n; }); }
  everyDays(n: number): this { return this.step('everyDays', () => { this.days = n; }); }
  everyWeeks(n: number): this { return this.step('everyWeeks', () => { this.weeks = n; }); }
  onWeekDay(day: string): this {
    return this.step('onWeekDay', () => {
      const d = ISO_WEEKDAY[String(day)];
      if (!d) throw exception(`Invalid argument: ${day}`);
      this.weekDay = d;
    });
  }
  onMonthDay(d: number): this { return this.step('onMonthDay', () => { this.monthDay = d; }); }
  inTimezone(tz: string): this { return this.step('inTimezone', () => { this.tz = String(tz); }); }

  create(): Trigger {
    this.runtime.gate('ScriptApp.ClockTriggerBuilder.create');
    const schedule = this.schedule();
    const model = this.store.add({ handler: this.handler, type: 'CLOCK', schedule, timeZone: this.tz, sourceId: this.containerId });
    return new Trigger(this.runtime, model);
  }

  private schedule(): Schedule {
    const minute = this.minute ?? 0; // INF: Google picks a random minute when nearMinute is not called
    if (this.minutes !== null) {
      if (this.store.addOnRules) throw exception(ADDON_HOURLY);
      return { kind: 'minutes', every: this.minutes };
    }
    if (this.afterMs !== null) return { kind: 'after', ms: this.afterMs };
    if (this.atMs !== null) return { kind: 'at', atMs: this.atMs };
    if (this.hours !== null) {
      if (!Number.isInteger(this.hours) || this.hours < 1) throw exception(ADDON_HOURLY);
      return { kind: 'hours', every: this.hours };
    }
    if (this.weekDay !== null || this.weeks !== null) {
      if (this.weekDay === null) throw exception('A weekly trigger needs onWeekDay().'); // INF
      return { kind: 'weeks', every: this.weeks ?? 1, weekDay: this.weekDay, hour: this.hour ?? 0, minute };
    }
    if (this.monthDay !== null) return { kind: 'monthDay', day: this.monthDay, hour: this.hour ?? 0, minute };
    if (this.days !== null) return { kind: 'days', every: this.days, hour: this.hour ?? 0, minute };
    throw exception('The clock trigger has no schedule: call everyHours, everyDays, everyWeeks/onWeekDay, onMonthDay, at or after before create().'); // INF
  }
}

function firstRun(s: Schedule, nowMs: number, tz: string): number | null {
  switch (s.kind) {
    case 'event': return null;
    case 'after': return nowMs + Math.max(0, s.ms);
    case 'at': return s.atMs;
    case 'minutes': return nowMs + s.every * 60_000;
    case 'hours': return nowMs + s.every * HOUR;
    case 'days': {
      const w = wallClock(nowMs, tz);
      for (let k = 0; k < 2; k++) {
        const t = fromWallClock(tz, w.year, w.month, w.day + k, s.hour, s.minute);
        if (t > nowMs) return t;
      }
      return nowMs + DAY;
    }
    case 'weeks': {
      const w = wallClock(nowMs, tz);
      for (let k = 0; k <= 7; k++) {
        const t = fromWallClock(tz, w.year, w.month, w.day + k, s.hour, s.minute);
        if (t > nowMs && wallClock(t, tz).isoWeekday === s.weekDay) return t;
      }
      return null;
    }
    case 'monthDay': {
      const w = wallClock(nowMs, tz);
      for (let k = 0; k < 3; k++) {
        const t = fromWallClock(tz, w.year, w.month + k, s.day, s.hour, s.minute);
        if (t > nowMs) return t;
      }
      return null;
    }
  }
}

function nextRun(s: Schedule, prevMs: number, tz: string): number | null {
  switch (s.kind) {
    case 'event': case 'after': case 'at': return null;
    case 'minutes': return prevMs + s.every * 60_000;
    case 'hours': return prevMs + s.every * HOUR;
    case 'days': case 'weeks': {
      const w = wallClock(prevMs, tz);
      const step = s.kind === 'days' ? s.every : 7 * s.every;
      return fromWallClock(tz, w.year, w.month, w.day + step, s.hour, s.minute);
    }
    case 'monthDay': {
      const w = wallClock(prevMs, tz);
      return fromWallClock(tz, w.year, w.month + 1, s.day, s.hour, s.minute);
    }
  }
}

/** T1.7 event object; fields read in UTC with timezone 'UTC' as in the documented example (INF). */
export function timeDrivenEvent(atMs: number, triggerUid: string): Record<string, unknown> {
  const d = new Date(atMs);
  const dow = d.getUTCDay();
  return {
    authMode: 'FULL',
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    'day-of-month': d.getUTCDate(),
    'day-of-week': dow === 0 ? 7 : dow,
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    'week-of-year': isoWeek(d),
    timezone: 'UTC',
    triggerUid,
  };
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / DAY + 1) / 7);
}
