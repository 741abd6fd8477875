// A 6-digit PIN has a million values; the ones people pick first are far fewer. Refuse the obvious
// ones, and any part of the birth date, which anyone holding the ID number knows.
export type PinProblem = 'format' | 'repeated' | 'sequence' | 'birth_date';

export function pinProblem(pin: string, birthDate?: string): PinProblem | null {
  if (!/^\d{6}$/.test(pin)) return 'format';
  if (/^(\d)\1{5}$/.test(pin) || /^(\d\d)\1\1$/.test(pin) || /^(\d{3})\1$/.test(pin)) return 'repeated';
  const steps = [...pin].slice(1).map((d, i) => (Number(d) - Number(pin[i]) + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return 'sequence';
  if (birthDate) {
    const [y, m, d] = birthDate.split('-') as [string, string, string];
    const forms = [y.slice(2) + m + d, d + m + y.slice(2), m + d + y.slice(2), y + m.slice(0, 2), m + d + y.slice(0, 2)];
    if (forms.includes(pin)) return 'birth_date';
  }
  return null;
}
