/** When the register was last imported (the document property the import sets), or null. */
import { REGISTER_IMPORTED_AT_KEY } from './weekly';

export function registerImportedAt(): string | null {
  try {
    return PropertiesService.getDocumentProperties()?.getProperty(REGISTER_IMPORTED_AT_KEY) ?? null;
  } catch {
    return null; // no containing document, or not authorised: the notice says "no import recorded"
  }
}
