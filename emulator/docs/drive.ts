/**
 * DriveApp, only getFileById for the emulated documents and the container spreadsheet (D1.1, D1.3).
 * Needs a drive scope, which this add-on's manifest does not request — so calls are refused there.
 */
import { Blob } from '../utilities/blob';
import { DocStore, docUrl } from './docs';
import { exception } from '../runtime/errors';
import type { Runtime } from '../runtime/runtime';
import type { SpreadsheetModel } from '../spreadsheet/spreadsheet';

export function createDriveApp(runtime: Runtime, docs: DocStore, container: SpreadsheetModel | null) {
  const g = (m: string) => runtime.gate(`DriveApp.${m}`);
  return {
    getFileById(id: string) {
      g('getFileById');
      const doc = docs.get(String(id));
      if (doc) {
        return {
          getId: () => { g('File.getId'); return doc.id; },
          getName: () => { g('File.getName'); return doc.name; },
          setName: (n: string) => { g('File.setName'); doc.name = String(n); },
          getUrl: () => { g('File.getUrl'); return docUrl(doc.id); },
          getMimeType: () => { g('File.getMimeType'); return 'application/vnd.google-apps.document'; },
          getAs: (type: string): Blob => { g('File.getAs'); return docs.export(doc, type); },
          getBlob: (): Blob => { g('File.getBlob'); return docs.export(doc, 'application/pdf'); },
          setTrashed: (t: boolean) => { g('File.setTrashed'); doc.trashed = Boolean(t); },
          isTrashed: () => { g('File.isTrashed'); return doc.trashed; },
        };
      }
      if (container && container.id === id) {
        return {
          getId: () => { g('File.getId'); return container.id; },
          getName: () => { g('File.getName'); return container.name; },
          getUrl: () => { g('File.getUrl'); return `https://docs.google.com/spreadsheets/d/${container.id}/edit`; },
          getMimeType: () => { g('File.getMimeType'); return 'application/vnd.google-apps.spreadsheet'; },
        };
      }
      throw exception('No item with the given ID could be found, or you do not have permission to access it.');
    },
  };
}
