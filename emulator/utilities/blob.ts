/**
 * Base.Blob (D3.1): bytes + content type + name. getBytes() gives signed Java bytes. A blob made
 * from a document's PDF export also carries the document's plain text (`plainText`), which the
 * emulator exposes on sent-mail attachments so tests can read merged letters back.
 */
import { exception } from '../runtime/errors';
import type { RenderedDocument } from '../docs/docsModel';
import type { Runtime } from '../runtime/runtime';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

export class Blob {
  constructor(
    private readonly runtime: Runtime | null,
    private bytes: Uint8Array,
    private contentType: string | null,
    private name: string | null,
    /** Readable text of a converted document (PDF export), for tests. */
    readonly plainText: string | null = null,
    /** The exported document's structure (header, body, footer, page size), for tests. */
    readonly rendered: RenderedDocument | null = null,
  ) {}

  private g(m: string): void {
    this.runtime?.gate(`Blob.${m}`);
  }
  rawBytes(): Uint8Array {
    return this.bytes;
  }
  getBytes(): number[] {
    this.g('getBytes');
    return Array.from(this.bytes, (b) => (b > 127 ? b - 256 : b));
  }
  setBytes(data: number[]): this {
    this.g('setBytes');
    this.bytes = Uint8Array.from(data, (b) => b & 0xff);
    return this;
  }
  getDataAsString(charset?: string): string {
    this.g('getDataAsString');
    if (charset && !/^utf-?8$/i.test(charset)) return new TextDecoder(charset).decode(this.bytes);
    return decoder.decode(this.bytes);
  }
  setDataFromString(s: string): this {
    this.g('setDataFromString');
    this.bytes = utf8(String(s));
    return this;
  }
  getName(): string | null { this.g('getName'); return this.name; }
  setName(name: string): this { this.g('setName'); this.name = name; return this; }
  getContentType(): string | null { this.g('getContentType'); return this.contentType; }
  setContentType(t: string | null): this { this.g('setContentType'); this.contentType = t; return this; }
  isGoogleType(): boolean { this.g('isGoogleType'); return false; }
  copyBlob(): Blob {
    this.g('copyBlob');
    return new Blob(this.runtime, new Uint8Array(this.bytes), this.contentType, this.name, this.plainText, this.rendered);
  }
  getBlob(): Blob {
    return this;
  }
  /** Only conversion to PDF is modelled (text → a PDF holding the text). */
  getAs(contentType: string): Blob {
    this.g('getAs');
    if (contentType === this.contentType) return this.copyBlob();
    if (contentType !== 'application/pdf') throw exception(`Converting from ${this.contentType} to ${contentType} is not supported.`);
    const text = this.plainText ?? decoder.decode(this.bytes);
    return new Blob(this.runtime, pdfBytes(text), 'application/pdf', this.name === null ? null : renameExtension(this.name, 'pdf'), text);
  }
}

/** D1.3: replace the part after the last period (if any) with the new extension. */
export function renameExtension(name: string, ext: string): string {
  const dot = name.lastIndexOf('.');
  return `${dot > 0 ? name.slice(0, dot) : name}.${ext}`;
}

/** A small, well-formed PDF whose single page shows the text lines. */
export function pdfBytes(text: string, page: { width: number; height: number } = { width: 595, height: 842 }): Uint8Array {
  const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
  const lines = text.split('\n');
  const content = `BT /F1 11 Tf 56 ${Math.round(page.height) - 52} Td 14 TL ${lines.map((l) => `(${esc(l)}) '`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${Math.round(page.width)} ${Math.round(page.height)}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return utf8(out);
}
