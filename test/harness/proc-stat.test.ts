import { describe, expect, it } from 'vitest';
import { parseCpuList, parseHostCpu, parseProcessTicks } from '../../harness/proc-stat.js';

describe('/proc parsing', () => {
  it('host busy time leaves out idle and iowait, and keeps steal apart', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    const cpu = parseHostCpu('cpu  1000 10 200 5000 300 7 11 40 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n');
    expect(cpu).toEqual({ busy: 1000 + 10 + 200 + 7 + 11, steal: 40 });
    expect(parseHostCpu('intr 1 2 3')).toBeUndefined();
  });

  it('process ticks survive a command name with spaces and parentheses', () => {
    const fields = [
      'S',
      '1',
      '2',
      '3',
      '0',
      '-1',
      '4194304',
      '100',
      '0',
      '0',
      '0',
      /* utime */ '250',
      /* stime */ '50',
      /* cutime */ '70',
      /* cstime */ '30',
      '20',
      '0',
    ];
    const line = `4242 (node (worker) 1) ${fields.join(' ')}`;
    expect(parseProcessTicks(line, false)).toBe(300);
    expect(parseProcessTicks(line, true)).toBe(400);
    expect(parseProcessTicks('garbage', false)).toBeUndefined();
  });

  it('cpu lists expand ranges', () => {
    expect(parseCpuList('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(parseCpuList('1')).toEqual([1]);
  });
});
