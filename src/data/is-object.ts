/** A plain JSON object (not null, not an array): the first check when reading a file written by hand or by an older version. */
export const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
