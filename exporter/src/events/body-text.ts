/**
 * A body's text, whole or as its pieces in order. A large HTTP body stays in the pieces it was
 * decoded in (http/read-body.ts) from the socket to the journal: joining a 10 MB body into one
 * string held the event loop 59–74 ms (a fresh allocation of that size, its page faults
 * included; docs/events.md, "Large batches"), and nothing downstream needs it whole: it is
 * decoded a run of elements at a time and journaled a slice at a time.
 */
export type BodyText = string | readonly string[];

/** The pieces of `text` (a whole text is one piece). */
export function piecesOf(text: BodyText): readonly string[] {
  return typeof text === 'string' ? [text] : text;
}

/** How many UTF-16 code units `text` holds. */
export function textLength(text: BodyText): number {
  if (typeof text === 'string') return text.length;
  let length = 0;
  for (const piece of text) length += piece.length;
  return length;
}

/** `text` as one string (for a small body, or a shape only a whole parse can read). */
export function wholeText(text: BodyText): string {
  return typeof text === 'string' ? text : text.join('');
}

/** The first character of `text` that `trimStart` keeps, or '' when there is none. */
export function firstNonSpace(text: BodyText): string {
  for (const piece of piecesOf(text)) {
    const at = piece.search(/\S/);
    if (at >= 0) return piece[at];
  }
  return '';
}

/** Whether `text` holds a raw newline. */
export function hasNewline(text: BodyText): boolean {
  return piecesOf(text).some((piece) => piece.includes('\n'));
}
