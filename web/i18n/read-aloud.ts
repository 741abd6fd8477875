// Strings of 读给我听 / "Read it to me" on the retiree's Home, History, Settings and Help (decision
// 093), and the words it needs that no screen had in the catalogs. zh-CN first; `en` has the same keys.
export const zh = {
  'read.aloud': '读给我听',
  'read.stop': '停下来，不读了',
  // Said after the option that is chosen in Settings (the screen shows it by colour).
  'read.chosen': '已选',
  // A name or a number shown on its own (the family member's list): the value is all there is.
  'read.value': '{value}',
  // Each language's name in itself, the same in both catalogs (Settings › 语言).
  'settings.language.zh': '中文',
  'settings.language.en': 'English',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'read.aloud': 'Read it to me',
  'read.stop': 'Stop reading',
  'read.chosen': 'chosen',
  'read.value': '{value}',
  'settings.language.zh': '中文',
  'settings.language.en': 'English',
};
