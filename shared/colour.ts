import { inspect } from 'node:util';

/**
 * Colour for terminal output, one decision per stream: none when NO_COLOR is
 * set (no-color.org), forced by FORCE_COLOR (0 or false turns it off), else
 * only on a terminal that has colours (tty's hasColors, which reads TERM).
 * The codes come from Node's own table (util.inspect.colors), so no package.
 */
export type Colour = 'red' | 'green' | 'yellow' | 'bold' | 'dim';

export interface ColourStream {
  isTTY?: boolean;
  hasColors?: () => boolean;
}

export function colourEnabled(stream: ColourStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && stream.hasColors?.() === true;
}

/** A painter for one stream: `paint('red', 'error:')`, plain text when the stream gets no colour. */
export function painter(
  stream: ColourStream,
  env: NodeJS.ProcessEnv = process.env,
): (colour: Colour, text: string) => string {
  if (!colourEnabled(stream, env)) return (_colour, text) => text;
  return (colour, text) => {
    const [open, close] = inspect.colors[colour]!;
    return `\x1b[${open}m${text}\x1b[${close}m`;
  };
}
