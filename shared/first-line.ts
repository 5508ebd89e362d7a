/** The first line of a (possibly multi-line) message: what a one-line report or status shows. */
export function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}
