import { parentPort } from 'node:worker_threads';
import { VerifyInputError, verifyLog, type VerifyResult } from '../sim/log/verify.ts';

/** What the main thread asks a worker: verify the log of one run folder (`index` is the caller's). */
export interface VerifyRequest {
  index: number;
  target: string;
}

/**
 * A worker's answer: verify's result, or the error it threw. `inputError`
 * marks a VerifyInputError (no log, an unreadable manifest), which the
 * caller reports as a broken log; anything else is a bug and keeps its stack.
 */
export type VerifyReply =
  | { index: number; ok: true; result: VerifyResult }
  | { index: number; ok: false; inputError: boolean; name: string; code: string | undefined; message: string; stack: string };

// One log at a time: the main thread sends the next request only after the reply.
parentPort?.on('message', (request: VerifyRequest) => {
  let reply: VerifyReply;
  try {
    reply = { index: request.index, ok: true, result: verifyLog(request.target) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const stack = error instanceof Error ? (error.stack ?? message) : message;
    // The name and a system error's code (EACCES, EISDIR) travel too: the caller's error is the one verify threw here.
    const name = error instanceof Error ? error.name : 'Error';
    const code = (error as { code?: unknown } | null)?.code;
    reply = {
      index: request.index,
      ok: false,
      inputError: error instanceof VerifyInputError,
      name,
      code: typeof code === 'string' ? code : undefined,
      message,
      stack,
    };
  }
  parentPort?.postMessage(reply);
});
