import { withoutTokenStackTraces } from '../app/token-traces';

// cdktf records a stack trace for every token by capturing one onto a plain object
// (node_modules/cdktf/lib/tokens/private/stack-trace.js). Synthesis skips formatting those, and
// only those: an Error keeps its stack, and the hook is gone afterwards, even after a throw.

const cdktfStyleRecord = () => {
  const object = { stack: '' };
  Error.captureStackTrace(object);
  return object.stack;
};

describe('withoutTokenStackTraces', () => {
  test("a plain object's captured trace is empty inside, and a full trace outside", () => {
    expect(withoutTokenStackTraces(cdktfStyleRecord)).toBe('');
    expect(cdktfStyleRecord()).toMatch(/\n\s+at /);
  });

  test('an Error created inside keeps its message and its frames', () => {
    const stack = withoutTokenStackTraces(() => new Error('boom').stack);
    expect(stack).toMatch(/^Error: boom\n\s+at .*token-traces\.test/);
  });

  test('the previous hook is restored, also when the work throws', () => {
    const before = Error.prepareStackTrace;
    expect(() => withoutTokenStackTraces(() => { throw new Error('inside'); })).toThrow('inside');
    expect(Error.prepareStackTrace).toBe(before);
  });
});
