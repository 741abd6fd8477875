// Strings of the retiree (and family) screens: sign-in keypad, check, result, history, settings,
// help. zh-CN first; `en` must have exactly the same keys (the type checks it).
export const zh = {} as const;

export const en: Record<keyof typeof zh, string> = {};
