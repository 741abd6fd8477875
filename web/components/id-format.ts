/** "110199195211050047" → "110199 19521105 0047": region, birth date, sequence + check digit. */
export function groupIdNumber(id: string): string {
  return [id.slice(0, 6), id.slice(6, 14), id.slice(14, 18)].filter(Boolean).join(' ');
}
