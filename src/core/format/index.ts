/** The one formatting module: words and dates for everything a person reads. */
export * from './words';
export * from './dates';
export * from './percent';
