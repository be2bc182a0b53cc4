import { asSheetText, cleanCell, escapeHtml } from '../../src/core/sanitise';

describe('asSheetText — formula injection (apps-script-semantics.md S4.6: a leading apostrophe forces text under USER_ENTERED)', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+44 7700 900123', `'+44 7700 900123`],
    ['-Bob', `'-Bob`],
    ['@home', `'@home`],
    ['=1+1', `'=1+1`],
  ])('%s is written as text', (input, expected) => {
    expect(asSheetText(input)).toBe(expected);
  });

  it('treats a leading tab or carriage return as a trigger and removes the control character itself', () => {
    expect(asSheetText('\t=cmd|calc')).toBe(`'=cmd|calc`);
    expect(asSheetText('\rhello')).toBe(`'\nhello`);
  });

  it.each(["O'Brien", 'José Núñez', 'Zoë Smith-Jones', 'Anne-Marie', 'Ngozi Okafor', '7A', 'a = b'])(
    'leaves the ordinary value %s untouched',
    (name) => {
      expect(asSheetText(name)).toBe(name);
    },
  );

  it('doubles a leading apostrophe, because Sheets would swallow a single one', () => {
    expect(asSheetText("'tis")).toBe("''tis");
  });

  it('strips NUL and other control characters but keeps line breaks (CRLF becomes LF)', () => {
    expect(asSheetText('Line one\u0000\u0007\r\nLine two\u001b')).toBe('Line one\nLine two');
  });
});

describe('cleanCell', () => {
  it('gives trimmed text and empty for null/undefined', () => {
    expect(cleanCell(null)).toBe('');
    expect(cleanCell(undefined)).toBe('');
    expect(cleanCell('  7A \n')).toBe('7A');
    expect(cleanCell(12345)).toBe('12345');
    expect(cleanCell(false)).toBe('false');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<img src=x onerror="alert('x')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;');
  });
  it('leaves plain names as they are', () => {
    expect(escapeHtml('José Núñez')).toBe('José Núñez');
  });
});

describe('asSheetText — text that USER_ENTERED would coerce stays text (S4.6)', () => {
  test.each([
    ['00123', "'00123"],
    ['07700900123', "'07700900123"],
    ['2024-01-31', "'2024-01-31"],
    ['1/31/2024', "'1/31/2024"],
    ['10%', "'10%"],
    ['TRUE', "'TRUE"],
    ['3.5', "'3.5"],
  ])('%s is written as %s', (input, expected) => {
    expect(asSheetText(input)).toBe(expected);
  });
  test.each(['A123456789012', '7A', 'Year 7', 'Phone call', '9RB'])('%s is left as it is', (text) => {
    expect(asSheetText(text)).toBe(text);
  });
});
