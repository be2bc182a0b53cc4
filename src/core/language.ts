/**
 * The family's language, as staff type it in the tracker ('Español', 'es-MX', 'Polish', '') → an
 * ISO 639-1 code. One rule for the whole add-on: blank means English; a language we cannot name
 * is kept (lower-cased), never turned into English, so the letter plan can say "no template in
 * that language; the English letter will be sent" instead of hiding it.
 */
const LANGUAGE_CODES: Record<string, string> = {
  en: 'en',
  eng: 'en',
  english: 'en',
  es: 'es',
  spa: 'es',
  spanish: 'es',
  espanol: 'es',
  castellano: 'es',
  fr: 'fr',
  french: 'fr',
  pl: 'pl',
  polish: 'pl',
  pt: 'pt',
  portuguese: 'pt',
  ar: 'ar',
  arabic: 'ar',
  ur: 'ur',
  urdu: 'ur',
  ro: 'ro',
  romanian: 'ro',
};

export function normaliseLanguage(raw: string | null | undefined): string {
  const key = String(raw ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();
  if (key === '') return 'en';
  const base = key.split(/[-_ (]/)[0];
  return LANGUAGE_CODES[key] ?? LANGUAGE_CODES[base] ?? base;
}
