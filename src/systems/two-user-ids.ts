/** The names of two-user systems and their curves (the kind, its run step, its claims and its report part share them). */

/** "(n,k)" as the paper writes the two-user configurations: n complex uses, k bits per user. */
export const twoUserName = (n: number, k: number): string => `(${n},${k})`;

/** Curve ids of a two-user system. */
export const userCurveId = (id: string, user: 1 | 2): string => `${id}-u${user}`;
export const userMlCurveId = (id: string, user: 1 | 2): string => `${id}-u${user}-ml`;
