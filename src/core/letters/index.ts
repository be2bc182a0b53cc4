/** Letters: merge fields, rendering, starter templates, the exactly-once ledger and the run plan. */
export * from './fields';
export * from './render';
export * from './templates';
export * from './ledger';
export * from './plan';
export * from './conditions';
