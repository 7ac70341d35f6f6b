/** Tests of raw scenario values the kinds' checks use (they read the data before, or without, the schema). */
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isPosInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;
