// @ts-check
// The pages' one way to the server: the public GraphQL API, every query, mutation and subscription over one
// graphql-ws socket (ws://<host>/graphql). Logging in is the only request made over HTTP: a socket needs a
// credential before it opens.
import { createClient } from 'graphql-ws';

const TOKEN_KEY = 'switchboard.token';

/** Closed by the server because the credential was refused or revoked: reconnecting with it is pointless. */
const REFUSED = 4403;

/**
 * The tab's credential. sessionStorage keeps it for this tab only: another tab, or the browser reopened, asks again.
 * A token in the address's fragment (`/wallboard#token=...`, for a TV) is taken once and wiped from the address;
 * a fragment never reaches the server or its logs.
 */
export const credential = {
  /** @returns {string | null} */
  get() {
    const fromAddress = new URLSearchParams(location.hash.slice(1)).get('token');
    if (fromAddress) {
      sessionStorage.setItem(TOKEN_KEY, fromAddress);
      history.replaceState(null, '', location.pathname + location.search);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  },
  /** @param {string} token */
  set(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/**
 * @typedef {{ message: string, extensions?: Record<string, unknown> }} GraphQLError
 * @typedef {{ data?: unknown, errors?: readonly GraphQLError[] }} GraphQLResult
 * @typedef {'connecting' | 'live' | 'reconnecting'} LinkState
 * @typedef {{
 *   request(query: string, variables?: Record<string, unknown>): Promise<unknown>,
 *   subscribe(query: string, variables: Record<string, unknown> | undefined, onData: (data: unknown) => void, onError?: (message: string) => void): () => void,
 *   onReconnected(listener: () => void): () => void,
 *   close(): void,
 * }} Api
 */

/** Thrown for an answer with GraphQL errors: the first one's message, as the server wrote it. */
export class ApiError extends Error {}

/** @param {readonly GraphQLError[]} errors */
const errorOf = (errors) => new ApiError(errors.map((error) => error.message).join('; '));

/**
 * Logs in with a username and password; the session token, or the server's reason for refusing.
 * @param {string} username
 * @param {string} password
 * @returns {Promise<string>}
 */
export async function login(username, password) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($username: String!, $password: String!) { login(username: $username, password: $password) { __typename ... on LoginSuccess { data { token } } ... on Error { message } } }',
      variables: { username, password },
    }),
  });
  /** @type {GraphQLResult} */
  const result = await response.json();
  if (result.errors) throw errorOf(result.errors);
  const answer = /** @type {{ login: { __typename: string, message?: string, data?: { token: string } } }} */ (result.data).login;
  if (answer.data === undefined) throw new ApiError(answer.message ?? 'Login refused');
  return answer.data.token;
}

/**
 * One socket for the page, kept open: a lost one reconnects by itself, waiting longer after each failure, and
 * `onReconnected` tells the page, which reads what it shows again: what changed meanwhile was never sent.
 * A refused credential ends it: `onRefused` tells the page to log out.
 * @param {string} token
 * @param {{ onState(state: LinkState): void, onRefused(reason: string): void }} handlers
 * @returns {Api}
 */
export function connect(token, handlers) {
  let refused = false;
  /** @type {Set<() => void>} */
  const reconnected = new Set();
  const client = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * 2 ** retries) * (0.5 + Math.random()))),
    shouldRetry: () => !refused,
    onNonLazyError: () => undefined,
    on: {
      connecting: () => handlers.onState('connecting'),
      connected: (_socket, _payload, wasRetry) => {
        handlers.onState('live');
        if (wasRetry) for (const listener of reconnected) listener();
      },
      closed: (event) => {
        const { code, reason } = /** @type {CloseEvent} */ (event);
        if (code === REFUSED) {
          refused = true;
          handlers.onRefused(reason || 'Your credential is no longer valid');
        } else if (!refused) handlers.onState('reconnecting');
      },
    },
  });
  return {
    request(query, variables) {
      return new Promise((resolve, reject) => {
        /** @type {GraphQLResult | undefined} */
        let result;
        client.subscribe(
          { query, variables },
          {
            next: (value) => (result = /** @type {GraphQLResult} */ (value)),
            error: (error) => reject(error instanceof Error ? error : new ApiError(Array.isArray(error) ? error.map((e) => e.message).join('; ') : 'The connection was lost')),
            complete: () => {
              if (result === undefined) reject(new ApiError('The connection closed before the answer came'));
              else if (result.errors) reject(errorOf(result.errors));
              else resolve(result.data);
            },
          },
        );
      });
    },
    subscribe(query, variables, onData, onError) {
      return client.subscribe(
        { query, variables },
        {
          next: (value) => {
            const result = /** @type {GraphQLResult} */ (value);
            if (result.errors) onError?.(errorOf(result.errors).message);
            if (result.data) onData(result.data);
          },
          error: (error) => onError?.(Array.isArray(error) ? errorOf(error).message : 'The subscription ended'),
          complete: () => undefined,
        },
      );
    },
    onReconnected(listener) {
      reconnected.add(listener);
      return () => reconnected.delete(listener);
    },
    close() {
      refused = true;
      void client.dispose();
    },
  };
}
