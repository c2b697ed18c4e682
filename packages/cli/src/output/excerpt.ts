/**
 * A one-line excerpt of a text: whitespace runs collapsed to one space, cut at a word boundary
 * to at most `maxLength` code points, with `…` when something was cut.
 */
export function excerpt(text: string, maxLength: number): string {
  const flat = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  const points = [...flat];
  if (points.length <= maxLength) return flat;
  const cut = points.slice(0, Math.max(1, maxLength - 1)).join('');
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut}…`;
}
