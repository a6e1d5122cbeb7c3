import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { CredentialEnding, CredentialSubject, CredentialWatch } from '../auth/credentialWatch.js';
import type { LiveBus } from '../bus/bus.js';
import { CREDENTIALS_TOPIC } from '../bus/credentialChanges.js';
import type { Context } from './context.js';
import type { GraphQLServerContext } from './yoga.js';

/** Tells every API process to check the subject's open connections again (after the change is committed). */
export function announceCredentialChange(bus: LiveBus, subject: CredentialSubject): void {
  bus.publish(CREDENTIALS_TOPIC, subject);
}

/** The last result a stream ended by its credential sends: why, as the HTTP answer would say it. */
export function endingResult(ending: CredentialEnding): ExecutionResult {
  return { errors: [new GraphQLError(ending.reason, { extensions: { code: ending.revoked ? 'UNAUTHENTICATED' : 'FORBIDDEN' } })] };
}

/**
 * source's results until `ended` settles, then the ending's result, then done; the source is returned either way.
 * A plain iterator rather than an async generator: a generator waiting on the source cannot be returned
 * until the source's next result, so a client that leaves would keep the subscription until then.
 */
export function untilEnded(source: AsyncIterable<ExecutionResult>, ended: Promise<CredentialEnding>, stop: () => void): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  const finish = async (): Promise<IteratorReturnResult<undefined>> => {
    if (!done) {
      done = true;
      stop();
      await iterator.return?.();
    }
    return { done: true, value: undefined };
  };
  const endedResult = ended.then((ending) => ({ ending }));
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (done) return { done: true, value: undefined };
      const next = await Promise.race([iterator.next(), endedResult]);
      if ('ending' in next) {
        await finish();
        return { done: false, value: endingResult(next.ending) };
      }
      if (next.done) return finish();
      return next;
    },
    return: finish,
  };
}

/**
 * Ends each subscription over HTTP (SSE) when its credential stops: revoked, logged out, expired, its user
 * disabled or its role changed. graphql-ws subscriptions are not wrapped: their socket watches its credential
 * and closes, which ends them all (and they may share one execution with other sockets).
 */
export function endWithCredential(watch: CredentialWatch): Plugin<Context & GraphQLServerContext> {
  return {
    onSubscribe({ args }) {
      const { viewer, socketViewer } = args.contextValue;
      if (!viewer || socketViewer) return undefined;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable<ExecutionResult>(result)) return;
          let stop = () => {};
          const ended = new Promise<CredentialEnding>((resolve) => (stop = watch.watch(viewer, resolve)));
          setResult(untilEnded(result, ended, stop));
        },
      };
    },
  };
}
