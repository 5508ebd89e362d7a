import { describe, expect, it } from 'vitest';
import { answerCounts, timeoutIsMiss, timeoutsTimed } from '../../results/answer-counts.js';

describe('answerCounts: one meaning for old and new results files', () => {
  it('new files: count already holds the timeouts (and misses them); rates over answers, errors over attempts', () => {
    // 100 answers, 10 of them timeouts (misses too), 30 misses in all; 25 errors on top.
    const c = answerCounts('get', { count: 100, misses: 30, timeouts: 10, errors: 25 }, true);
    expect(c).toEqual({
      answered: 100,
      attempted: 125,
      misses: 30,
      timeouts: 10,
      errors: 25,
      missRate: 0.3,
      timeoutRate: 0.1,
      errorRate: 0.2,
    });
  });

  it('old files: timeouts were apart from count and misses; they become answers and misses', () => {
    // The same run as above, written by the older harness: count 90 without the 10 timeouts, 20 misses without them.
    const old = answerCounts('get', { count: 90, misses: 20, timeouts: 10, errors: 25 }, false);
    expect(old).toEqual(answerCounts('get', { count: 100, misses: 30, timeouts: 10, errors: 25 }, true));
  });

  it('a timed-out incr is an answer but never a miss, in either meaning', () => {
    expect(timeoutIsMiss('incr')).toBe(false);
    for (const action of ['get', 'set', 'delete', 'add', 'pop', 'read', 'rmw', 'scan', 'crawl', 'insert'])
      expect(timeoutIsMiss(action)).toBe(true);
    expect(answerCounts('incr', { count: 90, misses: 0, timeouts: 10, errors: 0 }, false)).toMatchObject({
      answered: 100,
      misses: 0,
      timeoutRate: 0.1,
    });
  });

  it('nothing answered or attempted gives rates of 0, not NaN', () => {
    expect(answerCounts('get', { count: 0, misses: 0, timeouts: 0, errors: 0 }, true)).toMatchObject({
      missRate: 0,
      timeoutRate: 0,
      errorRate: 0,
    });
    expect(answerCounts('get', { count: 0, misses: 0, timeouts: 0, errors: 4 }, true)).toMatchObject({
      answered: 0,
      attempted: 4,
      missRate: 0,
      errorRate: 1,
    });
  });

  it('only an explicit true marks a file as timing its timeouts', () => {
    expect(timeoutsTimed({ timeoutsTimed: true })).toBe(true);
    expect(timeoutsTimed({})).toBe(false);
    expect(timeoutsTimed({ timeoutsTimed: false })).toBe(false);
  });
});
