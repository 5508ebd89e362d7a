/**
 * Parsing `--pin`: a named placement (same, separate, both) or explicit CPU
 * lists, `client=LIST[,server=LIST]`, where LIST is taskset's syntax
 * (`0`, `2-3`, `0,2`). A list may itself hold commas, so a part without `=`
 * continues the list before it: `client=0,2,server=1` is client 0,2 and server 1.
 */
import {
  checkCpusAvailable,
  PIN_CHOICES,
  PlacementError,
  type ExplicitPin,
  type ExplicitPinText,
  type PinChoice,
} from './cpu-placement.js';

const RANGE = /^(\d+)(?:-(\d+))?$/;
const USAGE = 'expected same, separate, both, or client=CPUS[,server=CPUS] (e.g. client=0,server=1)';

/** Explicit lists from `text`, or undefined when it names a placement; throws PlacementError on bad text. */
export function parseExplicitPin(text: string): ExplicitPin | undefined {
  if ((PIN_CHOICES as readonly string[]).includes(text)) return undefined;
  const lists: Partial<Record<'client' | 'server', string[]>> = {};
  let current: 'client' | 'server' | undefined;
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const named = /^([^=]*)=(.*)$/.exec(part);
    if (named) {
      const role = named[1]!.trim();
      if (role !== 'client' && role !== 'server')
        throw new PlacementError(`--pin ${text}: unknown role "${role}"; ${USAGE}`);
      if (lists[role]) throw new PlacementError(`--pin ${text}: ${role} is given twice`);
      current = role;
      lists[role] = [];
      if (named[2]!.trim() === '') throw new PlacementError(`--pin ${text}: ${role}= needs CPUs, e.g. ${role}=0`);
    }
    if (!current) throw new PlacementError(`--pin ${text}: ${USAGE}`);
    const range = named ? named[2]!.trim() : part;
    const m = RANGE.exec(range);
    if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1])))
      throw new PlacementError(`--pin ${text}: "${range}" is not a CPU or a range of CPUs like 2-3`);
    lists[current]!.push(range);
  }
  if (!lists.client) throw new PlacementError(`--pin ${text}: client=CPUS is needed (the workers' CPUs); ${USAGE}`);
  return { client: lists.client.join(','), ...(lists.server ? { server: lists.server.join(',') } : {}) };
}

/** The canonical text of explicit lists, as recorded in results (`run.measurement.pin`). */
export function explicitPinText(pin: ExplicitPin): ExplicitPinText {
  return `client=${pin.client}${pin.server === undefined ? '' : `,server=${pin.server}`}`;
}

/**
 * What `--pin TEXT` means, in canonical form. With `available` (the CPUs this
 * process may use), explicit lists naming other CPUs are refused up front
 * rather than found out when the first backend is placed.
 */
export function parsePinChoice(text: string, available?: readonly number[]): PinChoice {
  const explicit = parseExplicitPin(text.trim());
  if (!explicit) return text.trim() as PinChoice;
  if (available && available.length > 0) checkCpusAvailable(explicit, available);
  return explicitPinText(explicit);
}
