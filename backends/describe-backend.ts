import type { Backend, BackendDescription } from './backend.js';

/**
 * Builds a backend's description from what the Backend already states about
 * itself (name, label, call style, capabilities) plus what only it knows.
 */
export function describeBackend(
  backend: Backend,
  own: Pick<BackendDescription, 'durability' | 'settings'> & Partial<Pick<BackendDescription, 'version' | 'instance'>>,
): BackendDescription {
  return {
    name: backend.name,
    label: backend.label,
    callStyle: backend.callStyle,
    capabilities: [...backend.capabilities],
    ...own,
  };
}
