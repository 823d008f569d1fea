/** The rules of DOMAIN.md as pure functions; each names its rule id. */
export * from './clock';
export * from './continuity';
export * from './custody';
export { toEpochMs, toIso } from './time';
