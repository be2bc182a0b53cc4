import { detectDelimiter, parseCsv } from '../../src/core/register/csv';

describe('parseCsv (RFC 4180)', () => {
  it('splits plain rows on commas', () => {
    const r = parseCsv('a,b,c\n1,2,3\n');
    expect(r.rows).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(r.lines).toEqual([1, 2]);
    expect(r.errors).toEqual([]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const r = parseCsv('name,note\n"Okafor, Jr","said ""hi""\nthen left"\nx,y');
    expect(r.rows).toEqual([
      ['name', 'note'],
      ['Okafor, Jr', 'said "hi"\nthen left'],
      ['x', 'y'],
    ]);
    // The third row starts on line 4 because the quoted field spans lines 2–3.
    expect(r.lines).toEqual([1, 2, 4]);
  });

  it('accepts CRLF, LF and a byte-order mark', () => {
    const r = parseCsv('\uFEFFStudent ID,Mark\r\nA1,/\r\nA2,\\\r\n');
    expect(r.rows).toEqual([
      ['Student ID', 'Mark'],
      ['A1', '/'],
      ['A2', '\\'],
    ]);
  });

  it('keeps empty fields and a row of empty fields, but drops empty lines (line numbers still count)', () => {
    const r = parseCsv('a,b\n\n,\n"",x\nc,\n');
    expect(r.rows).toEqual([
      ['a', 'b'],
      ['', ''],
      ['', 'x'],
      ['c', ''],
    ]);
    expect(r.lines).toEqual([1, 3, 4, 5]);
  });

  it('reads a last line with no line break', () => {
    expect(parseCsv('a,b\n1,2').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reports an unterminated quote with the line it opened on', () => {
    const r = parseCsv('a,b\n1,2\n3,"never closed\n4,5\n');
    expect(r.errors).toEqual([{ line: 3, message: 'Line 3: a quoted field is never closed (missing ")' }]);
  });

  it('keeps a quote in the middle of an unquoted field as text (as Excel does)', () => {
    expect(parseCsv('5\'10" tall,x').rows).toEqual([['5\'10" tall', 'x']]);
  });

  it('detects semicolon (European Excel) and tab separators from the header line', () => {
    const semi = parseCsv('Student ID;Date;Session;Mark\nA1;02/09/2024;AM;/\n');
    expect(semi.delimiter).toBe(';');
    expect(semi.rows[1]).toEqual(['A1', '02/09/2024', 'AM', '/']);
    const tab = parseCsv('student_id\tdate\tsession\tcode\nA1\t2024-09-02\tAM\t/\n');
    expect(tab.delimiter).toBe('\t');
    expect(tab.rows[1]).toEqual(['A1', '2024-09-02', 'AM', '/']);
  });

  it('ignores separators inside quotes when detecting', () => {
    expect(detectDelimiter('"a;b;c;d",e,f\n')).toBe(',');
    expect(detectDelimiter('single')).toBe(',');
  });

  it('parses a 2,000 × 380 wide export quickly', () => {
    const header = ['UPN', ...Array.from({ length: 380 }, (_, i) => `S${i}`)].join(',');
    const row = ['A1', ...Array.from({ length: 380 }, () => '/')].join(',');
    const text = [header, ...Array.from({ length: 2000 }, () => row)].join('\r\n');
    // Its speed is measured in `npm run bench` (parse), not asserted here.
    const r = parseCsv(text);
    expect(r.rows).toHaveLength(2001);
    expect(r.rows[2000]).toHaveLength(381);
  });
});
