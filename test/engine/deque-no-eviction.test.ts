import { describe, expect, it } from 'vitest';
import { Deque } from '../../engine/index.js';
import { tempDir } from './helpers.js';

describe('Deque eviction', () => {
  it("keeps every item past its sizeLimit: eviction policy none, as diskcache's Deque", () => {
    const deque = new Deque(tempDir(), { sizeLimit: 1e6 });
    try {
      for (let i = 0; i < 40; i++) deque.append(Buffer.alloc(40_000, i));
      expect(deque.length).toBe(40);
      expect(deque.cache.settings.evictionPolicy).toBe('none');
      expect((deque.popleft() as Buffer)[0]).toBe(0);
    } finally {
      deque.close();
    }
  });

  it('an evicting policy stays possible when asked for explicitly', () => {
    const deque = new Deque(tempDir(), { evictionPolicy: 'least-recently-stored' });
    try {
      expect(deque.cache.settings.evictionPolicy).toBe('least-recently-stored');
    } finally {
      deque.close();
    }
  });
});
