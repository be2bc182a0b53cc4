/** The pupil's history in the sidebar links a letter's document, only when the Log holds a Google Docs link. */
import { safeDocumentUrl } from '../../src/core/studentView';

describe('safeDocumentUrl', () => {
  test('a Docs document link (as the add-on writes it) is kept', () => {
    expect(safeDocumentUrl('https://docs.google.com/document/d/Doc-0000000042_ab/edit')).toBe('https://docs.google.com/document/d/Doc-0000000042_ab/edit');
    expect(safeDocumentUrl(' https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp ')).toBe('https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/edit');
  });
  test('anything else typed in the Log is not made a link', () => {
    for (const bad of ['', undefined, 'javascript:alert(1)', 'http://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/edit', 'https://evil.example/document/d/1AbCdEfGhIjKlMnOp/edit', 'https://docs.google.com.evil.example/document/d/1AbCdEfGhIjKlMnOp/edit', 'https://docs.google.com/document/d/x"onclick=1/edit']) {
      expect(safeDocumentUrl(bad)).toBeNull();
    }
  });
});
