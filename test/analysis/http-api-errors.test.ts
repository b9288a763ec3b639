import { afterEach, describe, expect, it, vi } from 'vitest';
import { handleApi, type SessionSource } from '../../analysis/http-api.ts';

const context = { dir: '/nowhere', atlas: null };
const failingWith =
  (thrown: unknown): SessionSource =>
  () =>
    Promise.reject(thrown);

/** What the code under test writes to stderr, kept instead of printed. */
function stderrWrites(): string[] {
  const written: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  return written;
}

describe('handleApi: an unexpected failure', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers 500 with the message of a thrown Error and writes its stack to stderr', async () => {
    const written = stderrWrites();
    const answer = await handleApi(new URL('http://127.0.0.1/api/info'), failingWith(new Error('disk on fire')), context);
    expect(answer).toEqual({ status: 500, body: { error: 'disk on fire' } });
    expect(written.join('')).toMatch(/^missionbench: \/api\/info failed: Error: disk on fire\n\s+at /);
  });

  it('names a thrown value that is not an Error instead of answering an empty message', async () => {
    const written = stderrWrites();
    const answer = await handleApi(new URL('http://127.0.0.1/api/runs'), failingWith('the catalogue is gone'), context);
    expect(answer).toEqual({ status: 500, body: { error: 'the catalogue is gone' } });
    expect(written).toEqual(['missionbench: /api/runs failed: the catalogue is gone\n']);
  });
});
