/** Logger and console (V1.6): lines go to the emulator's `logs`. */
import type { Runtime } from './runtime';

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toString();
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  try {
    return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  } catch {
    return String(v);
  }
}

export function createLogger(runtime: Runtime) {
  const lines: string[] = [];
  const logger = {
    log(data: unknown, ...values: unknown[]) {
      runtime.gate('Logger.log');
      let text = show(data);
      if (values.length > 0) {
        let i = 0;
        text = text.replace(/%s/g, () => show(values[i++]));
      }
      lines.push(text);
      runtime.log(text);
      return logger;
    },
    getLog(): string { runtime.gate('Logger.getLog'); return lines.join('\n'); },
    clear(): void { runtime.gate('Logger.clear'); lines.length = 0; },
  };
  return logger;
}

export function createConsole(runtime: Runtime) {
  const timers = new Map<string, number>();
  const out = (level: string) => (...args: unknown[]) => {
    runtime.gate(`console.${level}`);
    const text = args.map(show).join(' ');
    runtime.log(level === 'log' || level === 'info' ? text : `[${level}] ${text}`);
  };
  return {
    log: out('log'), info: out('info'), warn: out('warn'), error: out('error'),
    time(label = 'default') { timers.set(label, runtime.clock.nowMs()); },
    timeEnd(label = 'default') {
      const start = timers.get(label);
      if (start !== undefined) runtime.log(`${label}: ${runtime.clock.nowMs() - start}ms`);
      timers.delete(label);
    },
  };
}
