// @ts-check
// Lists kept live from the API: read once, then kept by a subscription's events, and actions answered by the API's
// typed errors.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.js';

/**
 * @template T
 * @typedef {{ kind: 'CREATED' | 'UPDATED' | 'REMOVED', item: T }} Change
 */

/**
 * How many times the socket came back after being lost: put in an effect's dependencies, it reads again then.
 * @param {import('./api.js').Api} api
 */
export function useReconnects(api) {
  const [count, setCount] = useState(0);
  useEffect(() => api.onReconnected(() => setCount((before) => before + 1)), [api]);
  return count;
}

/**
 * A map kept live: the subscription starts first and its changes wait while `read` runs, then apply in order over
 * what it read, so no change falls between the two. A change is a whole object (CREATED, UPDATED) or its last state
 * (REMOVED). Read again, from scratch, whenever `api` or `deps` change, or the socket comes back.
 * @template T
 * @param {import('./api.js').Api} api
 * @param {{
 *   read(): Promise<T[]>,
 *   subscription: string,
 *   variables?: Record<string, unknown>,
 *   change(data: unknown): Change<T> | null,
 *   keyOf(item: T): string,
 *   onError(message: string): void,
 * }} source
 * @param {readonly unknown[]} deps
 * @returns {Map<string, T>}
 */
export function useLiveMap(api, source, deps = []) {
  const [items, setItems] = useState(/** @type {Map<string, T>} */ (new Map()));
  const reconnects = useReconnects(api);
  useEffect(() => {
    /** @type {Change<T>[] | null} changes waiting for the read; null once it is in */
    let waiting = [];
    let stopped = false;
    /** @param {Map<string, T>} map @param {Change<T>} change */
    const apply = (map, change) => {
      const key = source.keyOf(change.item);
      if (change.kind === 'REMOVED') map.delete(key);
      else map.set(key, change.item);
    };
    const stop = api.subscribe(
      source.subscription,
      source.variables,
      (data) => {
        const change = source.change(data);
        if (change === null) return;
        if (waiting) waiting.push(change);
        else
          setItems((before) => {
            const next = new Map(before);
            apply(next, change);
            return next;
          });
      },
      source.onError,
    );
    source
      .read()
      .then((read) => {
        if (stopped) return;
        const next = new Map(read.map((item) => [source.keyOf(item), item]));
        for (const change of waiting ?? []) apply(next, change);
        waiting = null;
        setItems(next);
      })
      .catch((/** @type {unknown} */ error) => {
        if (stopped) return;
        // Without its read the list still follows the changes, over what it had: never frozen waiting for one.
        const held = waiting ?? [];
        waiting = null;
        setItems((before) => {
          const next = new Map(before);
          for (const change of held) apply(next, change);
          return next;
        });
        source.onError(error instanceof Error ? error.message : String(error));
      });
    return () => {
      stopped = true;
      stop();
    };
  }, [api, reconnects, ...deps]);
  return items;
}

/**
 * Runs a mutation that answers a result union; resolves with its `data` on success, or throws the typed error it
 * answered as a readable ApiError (its message, and each field's problem for a ValidationError).
 * @param {import('./api.js').Api} api
 * @param {string} field the mutation
 * @param {Record<string, [type: string, value: unknown]>} params its arguments, with their GraphQL types
 * @param {string} selection what to read of its success's `data`, if anything
 * @returns {Promise<unknown>}
 */
export async function act(api, field, params, selection = '') {
  const names = Object.keys(params);
  const signature = names.length === 0 ? '' : `(${names.map((name) => `$${name}: ${params[name]?.[0]}`).join(', ')})`;
  const args = names.length === 0 ? '' : `(${names.map((name) => `${name}: $${name}`).join(', ')})`;
  const success = `${field[0]?.toUpperCase()}${field.slice(1)}Success`;
  const data = selection === '' ? '' : `... on ${success} { data ${selection} }`;
  const query = `mutation${signature} { ${field}${args} { __typename ${data} ... on Error { message } ... on ValidationError { problems { field message } } } }`;
  const answer = /** @type {Record<string, { __typename: string, data?: unknown, message?: string, problems?: { field: string, message: string }[] }>} */ (
    await api.request(query, Object.fromEntries(names.map((name) => [name, params[name]?.[1]])))
  )[field];
  if (answer === undefined) throw new ApiError(`${field} answered nothing`);
  if (answer.__typename === success) return answer.data;
  const problems = (answer.problems ?? []).map((problem) => `${problem.field}: ${problem.message}`);
  throw new ApiError([answer.message ?? answer.__typename, ...problems].join(' — '));
}
