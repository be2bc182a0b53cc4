/** The SpreadsheetApp service (S1.x, S6.1). */
import { exception } from '../runtime/errors';
import type { Runtime } from '../runtime/runtime';
import { Spreadsheet } from './spreadsheet';
import { assertUiContext, Ui } from '../ui/ui';
import { DataValidationBuilder, DataValidationCriteria } from './validation';

export function createSpreadsheetApp(runtime: Runtime, container: Spreadsheet | null, ui: Ui) {
  const g = (m: string) => runtime.gate(`SpreadsheetApp.${m}`);
  const active = () => (runtime.hasDocument() ? container : null);
  return {
    ProtectionType: { RANGE: 'RANGE', SHEET: 'SHEET' },
    DataValidationCriteria,
    WrapStrategy: { WRAP: 'WRAP', OVERFLOW: 'OVERFLOW', CLIP: 'CLIP' },
    BorderStyle: { SOLID: 'SOLID', DOTTED: 'DOTTED', DASHED: 'DASHED', SOLID_MEDIUM: 'SOLID_MEDIUM', SOLID_THICK: 'SOLID_THICK', DOUBLE: 'DOUBLE' },
    /** S1.1: null when the script has no container. */
    getActive(): Spreadsheet | null { g('getActive'); return active(); },
    getActiveSpreadsheet(): Spreadsheet | null { g('getActiveSpreadsheet'); return active(); },
    getActiveSheet() { g('getActiveSheet'); return container ? runtime.direct(() => container.getActiveSheet()) : null; },
    getActiveRange() { g('getActiveRange'); return container ? runtime.direct(() => container.getActiveRange()) : null; },
    getCurrentCell() { g('getCurrentCell'); return container ? runtime.direct(() => container.getCurrentCell()) : null; },
    /** S1.2: only the container exists in the emulator. */
    openById(id: string): Spreadsheet {
      g('openById');
      if (container && id === container.model.id) return container;
      throw exception(`Document ${id} is missing (perhaps it was deleted?)`);
    },
    openByUrl(url: string): Spreadsheet {
      g('openByUrl');
      if (container && String(url).includes(container.model.id)) return container;
      throw exception(`Document ${url} is missing (perhaps it was deleted?)`); // INF text for URLs
    },
    /** S1.3: writes are immediately visible in memory. */
    flush(): void { g('flush'); },
    getUi(): Ui { assertUiContext(runtime); g('getUi'); return ui; },
    newDataValidation(): DataValidationBuilder { g('newDataValidation'); return new DataValidationBuilder(runtime); },
  };
}
