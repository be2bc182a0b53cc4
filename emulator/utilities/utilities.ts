/**
 * Utilities (X1.x): formatDate/parseDate with Java SimpleDateFormat and IANA zones, sleep on the
 * modelled clock (max 300000 ms), blobs, deterministic UUIDs, base64, digests, CSV.
 */
import { createHash } from 'node:crypto';
import { Blob, utf8 } from './blob';
import { exception, signatureError } from '../runtime/errors';
import { formatJavaDate, parseJavaDate } from './javaDateFormat';
import type { Runtime } from '../runtime/runtime';

export const MAX_SLEEP_MS = 300000;
const DIGESTS: Record<string, string> = { MD5: 'md5', SHA_1: 'sha1', SHA_256: 'sha256', SHA_384: 'sha384', SHA_512: 'sha512' };

const signed = (bytes: Uint8Array): number[] => Array.from(bytes, (b) => (b > 127 ? b - 256 : b));
const toBytes = (data: unknown): Uint8Array => {
  if (typeof data === 'string') return utf8(data);
  if (Array.isArray(data)) return Uint8Array.from(data as number[], (b) => b & 0xff);
  if (data instanceof Blob) return data.rawBytes();
  throw signatureError([data], 'Utilities.newBlob');
};

export function parseCsv(csv: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i];
    if (quoted) {
      if (ch === '"' && csv[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && csv[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** A subset of Java's String.format: %s %d %f %.nf %x %% with widths. */
export function formatString(template: string, args: unknown[]): string {
  let i = 0;
  return template.replace(/%(-)?(0)?(\d+)?(?:\.(\d+))?([sdfx%])/g, (_m, left, zero, width, prec, conv) => {
    if (conv === '%') return '%';
    const v = args[i++];
    let s: string;
    if (conv === 'd') s = String(Math.trunc(Number(v)));
    else if (conv === 'f') s = Number(v).toFixed(prec === undefined ? 6 : Number(prec));
    else if (conv === 'x') s = Math.trunc(Number(v)).toString(16);
    else s = prec === undefined ? String(v) : String(v).slice(0, Number(prec));
    const w = width === undefined ? 0 : Number(width);
    if (s.length >= w) return s;
    return left ? s.padEnd(w) : s.padStart(w, zero && conv !== 's' ? '0' : ' ');
  });
}

export function createUtilities(runtime: Runtime) {
  const g = (m: string) => runtime.gate(`Utilities.${m}`);
  let uuidSeq = 0;
  return {
    DigestAlgorithm: { MD5: 'MD5', SHA_1: 'SHA_1', SHA_256: 'SHA_256', SHA_384: 'SHA_384', SHA_512: 'SHA_512' },
    Charset: { US_ASCII: 'US_ASCII', UTF_8: 'UTF_8' },
    formatDate(date: Date, timeZone: string, format: string): string {
      g('formatDate');
      if (!(date instanceof Date) || typeof timeZone !== 'string' || typeof format !== 'string') throw signatureError([date, timeZone, format], 'Utilities.formatDate');
      return formatJavaDate(date.getTime(), timeZone, format);
    },
    parseDate(date: string, timeZone: string, format: string): Date {
      g('parseDate');
      return new Date(parseJavaDate(String(date), timeZone, format));
    },
    sleep(milliseconds: number): void {
      g('sleep');
      if (typeof milliseconds !== 'number' || Number.isNaN(milliseconds)) throw exception(`Cannot convert ${String(milliseconds)} to int.`); // X1.3 (XT: throws)
      if (milliseconds > MAX_SLEEP_MS) throw exception(`Invalid argument: milliseconds. The maximum allowed value is ${MAX_SLEEP_MS}.`); // INF text
      runtime.spend(runtime.current, Math.max(0, milliseconds));
    },
    newBlob(data: unknown, contentType?: string | null, name?: string | null): Blob {
      g('newBlob');
      const type = contentType === undefined ? (typeof data === 'string' ? 'text/plain' : null) : contentType;
      return new Blob(runtime, new Uint8Array(toBytes(data)), type, name ?? null);
    },
    getUuid(): string {
      g('getUuid');
      uuidSeq += 1;
      return `00000000-0000-4000-8000-${uuidSeq.toString(16).padStart(12, '0')}`;
    },
    base64Encode(data: string | number[]): string { g('base64Encode'); return Buffer.from(toBytes(data)).toString('base64'); },
    base64EncodeWebSafe(data: string | number[]): string { g('base64EncodeWebSafe'); return Buffer.from(toBytes(data)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'); },
    base64Decode(encoded: string): number[] { g('base64Decode'); return signed(Buffer.from(String(encoded), 'base64')); },
    base64DecodeWebSafe(encoded: string): number[] { g('base64DecodeWebSafe'); return signed(Buffer.from(String(encoded).replace(/-/g, '+').replace(/_/g, '/'), 'base64')); },
    computeDigest(algorithm: string, value: string | number[]): number[] {
      g('computeDigest');
      const alg = DIGESTS[String(algorithm)];
      if (!alg) throw exception(`Invalid argument: algorithm`);
      return signed(createHash(alg).update(toBytes(value)).digest());
    },
    formatString(template: string, ...args: unknown[]): string { g('formatString'); return formatString(String(template), args); },
    parseCsv(csv: string, delimiter?: string): string[][] { g('parseCsv'); return parseCsv(String(csv), delimiter ?? ','); },
  };
}
