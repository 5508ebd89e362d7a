import { describe, expect, it } from 'vitest';
import { pythonWorkerScript } from '../../backends/python/python-worker.js';
import { checkOpened } from '../../backends/foreign/foreign-backend.js';
import { ForeignProcess } from '../../backends/foreign/foreign-process.js';
import { FOREIGN_PROTOCOL_VERSION } from '../../backends/foreign/foreign-wire.js';
import { pythonWith } from '../backends/python-availability.js';

const python = pythonWith('json', 'python3');
const PY = python.python;

describe.skipIf(!python.available)('the foreign channel refuses what it cannot trust, with one line', () => {
  it('a worker asked for another protocol version says so and leaves', async () => {
    const worker = new ForeignProcess([PY, '-B', pythonWorkerScript()], 'py-dict worker');
    await expect(
      worker.request({
        type: 'open',
        protocol: FOREIGN_PROTOCOL_VERSION + 1,
        spec: { store: 'dict' },
        label: 'x',
        worker: 0,
        seed: 0,
      }),
    ).rejects.toThrow(`py-dict worker: protocol ${FOREIGN_PROTOCOL_VERSION + 1} requested; this worker speaks 1`);
    worker.kill();
  });

  it('a line that is not JSON ends the worker', async () => {
    const worker = new ForeignProcess(
      [PY, '-c', 'import sys; sys.stdin.readline(); print("hello there", flush=True); sys.stdin.readline()'],
      'odd worker',
    );
    await expect(worker.request({ type: 'clock' })).rejects.toThrow(
      'odd worker wrote a line that is not JSON: hello there',
    );
    expect(worker.exited).toBe(true);
  });

  it('a worker that dies answers with its exit and its last error line', async () => {
    const worker = new ForeignProcess(
      [PY, '-c', 'raise SystemExit("ImportError: no module named nothing")'],
      'dying worker',
    );
    await expect(worker.request({ type: 'clock' })).rejects.toThrow(
      'dying worker exited with code 1: ImportError: no module named nothing',
    );
  });

  it('a command that does not exist cannot start', async () => {
    const worker = new ForeignProcess(['/no/such/worker-binary'], 'missing worker');
    await expect(worker.request({ type: 'clock' })).rejects.toThrow(
      /missing worker: cannot start \/no\/such\/worker-binary: spawn \/no\/such\/worker-binary ENOENT/,
    );
  });
});

it('an opened answer with other capabilities than the factory declares is refused', () => {
  const description = { call_style: 'sync' as const, durability: 'never' as const };
  const declared = { command: () => [], capabilities: ['incr', 'pop'] as const };
  expect(
    checkOpened(
      'w',
      { ...declared, capabilities: [...declared.capabilities] },
      { type: 'opened', protocol: 1, capabilities: ['pop', 'incr'], description },
    ),
  ).toEqual(description);
  expect(() =>
    checkOpened(
      'w',
      { ...declared, capabilities: [...declared.capabilities] },
      { type: 'opened', protocol: 1, capabilities: ['incr'], description },
    ),
  ).toThrow('w worker has capabilities [incr] but its factory declares [incr,pop]');
  expect(() =>
    checkOpened(
      'w',
      { ...declared, capabilities: [...declared.capabilities] },
      { type: 'opened', protocol: 2, capabilities: ['incr', 'pop'], description },
    ),
  ).toThrow('w worker speaks protocol 2; cachebench speaks 1');
});
