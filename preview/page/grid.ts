/// <reference lib="dom" />
/**
 * The sheet grid: column letters and the frozen header rows stay at the top, row numbers at the
 * left; only the rows in view are in the DOM (the tracker has ~900 rows, the Register hundreds of
 * columns), fetched from /api/sheet in chunks and cached until the data changes.
 * Click a row (or move with the arrow keys) to select it: the server's active cell follows, so the
 * sidebar's "Use selected row" finds that student.
 */
import type { SheetRow, SheetWindowResponse } from './api';
import { clear, el, getJson, postJson } from './http';

const CHUNK = 100;
const OVERSCAN = 15;

export function columnLetter(index1: number): string {
  let n = index1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const NUMERIC = /^-?[\d,.]+%?$/;

export interface GridCallbacks {
  onError(message: string): void;
}

export class Grid {
  private sheet: string | null = null;
  private rows = 0;
  private columns = 0;
  private frozenRows = 1;
  private header: SheetRow[] = [];
  private chunks = new Map<number, SheetRow[]>();
  private pending = new Map<number, Promise<void>>();
  private widths: number[] = [];
  private selectedRow: number | null = null;
  private selectedColumn = 1;
  private rowHeight = 22;
  private rendered = { first: -1, last: -1, generation: -1 };
  private generation = 0;
  private frame = 0;

  constructor(
    private readonly scroll: HTMLElement,
    private readonly cols: HTMLElement,
    private readonly head: HTMLElement,
    private readonly body: HTMLElement,
    private readonly status: HTMLElement,
    private readonly cellRef: HTMLElement,
    private readonly cellText: HTMLElement,
    private readonly callbacks: GridCallbacks,
  ) {
    scroll.addEventListener('scroll', () => this.schedule());
    window.addEventListener('resize', () => this.schedule());
    body.addEventListener('click', (event) => {
      const cell = (event.target as Element).closest('td[data-col]');
      const tr = (event.target as Element).closest('tr[data-row]');
      if (!tr) return;
      const column = cell ? Number(cell.getAttribute('data-col')) : 1;
      void this.select(Number(tr.getAttribute('data-row')), column);
    });
    scroll.addEventListener('keydown', (event) => this.onKey(event));
  }

  get sheetName(): string | null {
    return this.sheet;
  }

  get dataRowCount(): number {
    return Math.max(0, this.rows - this.frozenRows);
  }

  /** Shows a sheet (from the top), or reloads the current one keeping the scroll position. */
  async show(name: string, keepPosition = false): Promise<void> {
    const same = name === this.sheet;
    this.sheet = name;
    this.chunks.clear();
    this.pending.clear();
    this.generation += 1;
    if (!same || !keepPosition) {
      this.scroll.scrollTop = 0;
      this.scroll.scrollLeft = 0;
      this.widths = [];
    }
    await this.loadChunk(0, true);
    this.renderHead();
    this.rendered = { first: -1, last: -1, generation: -1 };
    this.render();
  }

  /** Forgets cached rows and re-reads what is in view (after an RPC or a trigger changed data). */
  async refresh(): Promise<void> {
    if (this.sheet) await this.show(this.sheet, true);
  }

  private async loadChunk(index: number, withMeta = false): Promise<void> {
    if (this.chunks.has(index) && !withMeta) return;
    const existing = this.pending.get(index);
    if (existing && !withMeta) return existing;
    const generation = this.generation;
    const sheet = this.sheet!;
    const job = getJson<SheetWindowResponse>(`/api/sheet?name=${encodeURIComponent(sheet)}&offset=${index * CHUNK}&limit=${CHUNK}`)
      .then((w) => {
        if (generation !== this.generation || sheet !== this.sheet) return;
        this.rows = w.rows;
        this.columns = w.columns;
        this.frozenRows = w.frozenRows;
        this.header = w.header;
        this.selectedRow = w.selectedRow;
        this.chunks.set(index, w.data);
        if (this.widths.length !== this.columns) this.widths = this.measure(w);
        this.scroll.setAttribute('aria-rowcount', String(this.rows));
      })
      .catch((err: unknown) => this.callbacks.onError(err instanceof Error ? err.message : String(err)))
      .finally(() => {
        if (this.pending.get(index) === job) this.pending.delete(index);
      });
    this.pending.set(index, job);
    return job;
  }

  /** Column widths from the header and the first rows' text, like a quick auto-fit. */
  private measure(w: SheetWindowResponse): number[] {
    const widths: number[] = [];
    for (let c = 0; c < w.columns; c++) {
      let longest = 3;
      for (const r of [...w.header, ...w.data.slice(0, 40)]) longest = Math.max(longest, (r.values[c] ?? '').length);
      widths.push(Math.max(44, Math.min(240, Math.round(longest * 7 + 14))));
    }
    return widths;
  }

  private renderHead(): void {
    clear(this.cols);
    clear(this.head);
    this.cols.appendChild(el('col', { style: 'width:46px' }));
    for (const w of this.widths) this.cols.appendChild(el('col', { style: `width:${w}px` }));
    const table = this.scroll.querySelector('table');
    if (table) table.style.width = `${46 + this.widths.reduce((a, b) => a + b, 0)}px`;

    const letters = el('tr', { class: 'letters' }, el('th', { class: 'rownum', scope: 'col', 'aria-label': 'Row number' }, ''));
    for (let c = 1; c <= this.columns; c++) letters.appendChild(el('th', { scope: 'col' }, columnLetter(c)));
    this.head.appendChild(letters);
    for (const r of this.header) {
      const tr = el('tr', { class: 'frozen', 'data-testid': 'grid-header-row', 'data-row': r.row, 'aria-rowindex': r.row });
      tr.appendChild(el('th', { class: 'rownum', scope: 'row' }, String(r.row)));
      r.values.forEach((v, i) => tr.appendChild(this.cell(r, i, 'columnheader')));
      this.head.appendChild(tr);
    }
  }

  private cell(r: SheetRow, i: number, role = 'gridcell'): HTMLTableCellElement {
    const value = r.values[i] ?? '';
    const bg = r.backgrounds[i] ?? '#ffffff';
    const style = [`background:${bg}`];
    if (r.fontColors[i] && r.fontColors[i] !== '#000000') style.push(`color:${r.fontColors[i]}`);
    if (r.fontWeights[i] === 'bold') style.push('font-weight:600');
    return el('td', {
      'data-col': i + 1, 'data-bg': bg, role, title: value.length > 30 ? value : null,
      class: NUMERIC.test(value) ? 'num' : null, style: style.join(';'),
    }, value);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private visibleRange(): { first: number; last: number } {
    const total = this.dataRowCount;
    const top = this.scroll.scrollTop;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - OVERSCAN);
    const count = Math.ceil(this.scroll.clientHeight / this.rowHeight) + 2 * OVERSCAN;
    return { first, last: Math.min(total, first + count) };
  }

  private render(force = false): void {
    if (!this.sheet) return;
    const { first, last } = this.visibleRange();
    const missing: number[] = [];
    for (let chunk = Math.floor(first / CHUNK); chunk <= Math.floor(Math.max(first, last - 1) / CHUNK); chunk++) {
      if (!this.chunks.has(chunk)) missing.push(chunk);
    }
    for (const chunk of missing) void this.loadChunk(chunk).then(() => this.render(true));
    if (!force && first === this.rendered.first && last === this.rendered.last && this.rendered.generation === this.generation) return;
    this.rendered = { first, last, generation: this.generation };

    clear(this.body);
    const span = this.columns + 1;
    if (first > 0) this.body.appendChild(el('tr', { class: 'spacer', 'aria-hidden': 'true' }, el('td', { colspan: span, style: `height:${first * this.rowHeight}px` })));
    for (let i = first; i < last; i++) {
      const rowNumber = this.frozenRows + 1 + i;
      const data = this.chunks.get(Math.floor(i / CHUNK))?.[i % CHUNK];
      const selected = rowNumber === this.selectedRow;
      const tr = el('tr', {
        'data-testid': 'grid-row', 'data-row': rowNumber, 'aria-rowindex': rowNumber,
        'aria-selected': selected ? 'true' : 'false', class: selected ? 'selected' : null,
      });
      tr.appendChild(el('th', { class: 'rownum', scope: 'row' }, String(rowNumber)));
      if (data) {
        for (let c = 0; c < this.columns; c++) tr.appendChild(this.cell(data, c));
      } else {
        tr.classList.add('loading');
        tr.appendChild(el('td', { colspan: this.columns }, 'Loading…'));
      }
      this.body.appendChild(tr);
    }
    if (last < this.dataRowCount) {
      this.body.appendChild(el('tr', { class: 'spacer', 'aria-hidden': 'true' }, el('td', { colspan: span, style: `height:${(this.dataRowCount - last) * this.rowHeight}px` })));
    }
    const sample = this.body.querySelector<HTMLElement>('tr[data-testid="grid-row"]:not(.loading)');
    if (sample) {
      const measured = sample.getBoundingClientRect().height;
      if (measured > 0 && Math.abs(measured - this.rowHeight) > 0.5) {
        this.rowHeight = measured;
        this.schedule();
      }
    }
    this.status.textContent = this.dataRowCount === 0
      ? `${this.sheet}: no rows below the header.`
      : `${this.sheet}: rows ${this.frozenRows + 1 + first}–${this.frozenRows + last} of ${this.rows} shown · ${this.columns} columns` +
        (this.selectedRow ? ` · row ${this.selectedRow} selected` : '');
    this.updateFormulaBar();
  }

  private rowData(rowNumber: number): SheetRow | undefined {
    const i = rowNumber - this.frozenRows - 1;
    if (i < 0) return this.header.find((r) => r.row === rowNumber);
    return this.chunks.get(Math.floor(i / CHUNK))?.[i % CHUNK];
  }

  private updateFormulaBar(): void {
    if (!this.selectedRow) {
      this.cellRef.textContent = '—';
      this.cellText.textContent = '';
      return;
    }
    this.cellRef.textContent = `${columnLetter(this.selectedColumn)}${this.selectedRow}`;
    this.cellText.textContent = this.rowData(this.selectedRow)?.values[this.selectedColumn - 1] ?? '';
  }

  /** Selects a sheet row: the server's active cell moves there (what getSelectedStudent reads). */
  async select(rowNumber: number, column = this.selectedColumn): Promise<void> {
    if (!this.sheet || rowNumber < 1 || rowNumber > Math.max(this.rows, 1)) return;
    this.selectedRow = rowNumber;
    this.selectedColumn = Math.max(1, Math.min(column, Math.max(1, this.columns)));
    this.render(true);
    try {
      await postJson('/api/select', { sheet: this.sheet, row: rowNumber, column: this.selectedColumn });
    } catch (err) {
      this.callbacks.onError(err instanceof Error ? err.message : String(err));
    }
  }

  private scrollRowIntoView(rowNumber: number): void {
    const i = rowNumber - this.frozenRows - 1;
    if (i < 0) return;
    const headHeight = this.head.getBoundingClientRect().height;
    const top = i * this.rowHeight;
    const view = this.scroll.clientHeight - headHeight;
    if (top < this.scroll.scrollTop) this.scroll.scrollTop = top;
    else if (top + this.rowHeight > this.scroll.scrollTop + view) this.scroll.scrollTop = top + this.rowHeight - view;
  }

  private onKey(event: KeyboardEvent): void {
    const firstData = this.frozenRows + 1;
    const lastRow = Math.max(firstData, this.rows);
    const page = Math.max(1, Math.floor(this.scroll.clientHeight / this.rowHeight) - 3);
    const current = this.selectedRow ?? firstData - 1;
    let next: number | null = null;
    let column = this.selectedColumn;
    switch (event.key) {
      case 'ArrowDown': next = current + 1; break;
      case 'ArrowUp': next = current - 1; break;
      case 'PageDown': next = current + page; break;
      case 'PageUp': next = current - page; break;
      case 'Home': next = event.ctrlKey || event.metaKey ? firstData : current; column = 1; break;
      case 'End': next = event.ctrlKey || event.metaKey ? lastRow : current; column = this.columns; break;
      case 'ArrowRight': next = Math.max(current, firstData); column = Math.min(this.columns, column + 1); break;
      case 'ArrowLeft': next = Math.max(current, firstData); column = Math.max(1, column - 1); break;
      default: return;
    }
    event.preventDefault();
    next = Math.max(firstData, Math.min(lastRow, next));
    this.scrollRowIntoView(next);
    void this.select(next, column);
  }
}
