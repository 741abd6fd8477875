// Strings of the community worker's screens: roster, retiree page, outcomes, day summary.
// zh-CN first; `en` must have exactly the same keys (the type checks it).
export const zh = {} as const;

export const en: Record<keyof typeof zh, string> = {};
