import { CachebenchError } from '../../shared/cachebench-error.js';

/** What went wrong between a coordinator and an agent; `code` says which, the message how to fix it. */
export type AgentErrorCode =
  | 'AGENT_AUTH_REFUSED'
  | 'AGENT_MESSAGE_TOO_LARGE'
  | 'AGENT_MESSAGE_MALFORMED'
  | 'AGENT_PROTOCOL_MISMATCH'
  | 'AGENT_NOT_ALLOWED'
  | 'AGENT_BUSY'
  | 'AGENT_UNKNOWN_JOB'
  | 'AGENT_NOT_FOUND'
  | 'AGENT_UNREACHABLE'
  | 'AGENT_SECRET_INVALID';

/** HTTP status an agent answers each refusal with. */
export const STATUS_OF: Record<AgentErrorCode, number> = {
  AGENT_AUTH_REFUSED: 401,
  AGENT_MESSAGE_TOO_LARGE: 413,
  AGENT_MESSAGE_MALFORMED: 400,
  AGENT_PROTOCOL_MISMATCH: 400,
  AGENT_NOT_ALLOWED: 403,
  AGENT_BUSY: 409,
  AGENT_UNKNOWN_JOB: 404,
  AGENT_NOT_FOUND: 404,
  AGENT_UNREACHABLE: 502,
  AGENT_SECRET_INVALID: 500,
};

export class AgentError extends CachebenchError<AgentErrorCode> {}

export function isAgentErrorCode(value: unknown): value is AgentErrorCode {
  return typeof value === 'string' && value in STATUS_OF;
}
