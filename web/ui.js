// @ts-check
// What every page shares: htm bound to Preact, figures that show they changed, durations, the login form, and the
// connection's state.
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { ApiError, login } from './api.js';

export const html = htm.bind(h);

/**
 * Re-renders every `ms`, for what counts on by itself (a wait, an uptime).
 * @param {number} ms
 * @returns {number} the time now, epoch ms
 */
export function useNow(ms = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * Whole seconds as m:ss, or h:mm:ss from an hour on.
 * @param {number | null | undefined} seconds
 */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const whole = Math.max(0, Math.floor(seconds));
  const [hours, minutes, rest] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const two = (/** @type {number} */ value) => String(value).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(rest)}` : `${minutes}:${two(rest)}`;
}

/**
 * A share from 0 to 1 as a whole percent.
 * @param {number | null | undefined} fraction
 */
export function percent(fraction) {
  return fraction === null || fraction === undefined ? '—' : `${Math.round(fraction * 1000) / 10}%`;
}

/**
 * A figure with its label. When its value changes it is marked for a moment (`changed`), so a change is seen from
 * across the room, unless it `counts` by itself (a wait, an uptime); `tone` colours it (ok, warn, bad).
 * @param {{ label: string, value: string | number, tone?: 'ok' | 'warn' | 'bad' | undefined, big?: boolean, counts?: boolean, title?: string, testId?: string }} props
 */
export function Figure({ label, value, tone, big = false, counts = false, title, testId }) {
  const previous = useRef(value);
  const [changed, setChanged] = useState(false);
  useEffect(() => {
    if (previous.current === value || counts) return undefined;
    previous.current = value;
    setChanged(true);
    const timer = setTimeout(() => setChanged(false), 1500);
    return () => clearTimeout(timer);
  }, [value]);
  const classes = ['figure', big ? 'big' : '', tone ?? '', changed ? 'changed' : ''].filter(Boolean).join(' ');
  return html`<div class=${classes} title=${title} data-testid=${testId}>
    <span class="value">${value}</span><span class="label">${label}</span>
  </div>`;
}

/**
 * Where the page's socket is: live, or on its way back.
 * @param {{ state: import('./api.js').LinkState }} props
 */
export function LinkBadge({ state }) {
  const text = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' }[state];
  return html`<span class=${`badge link ${state}`} role="status" data-testid="link">${text}</span>`;
}

/**
 * Asks for a credential: a username and password (a session), or a pasted API token.
 * @param {{ title: string, need: string, message: string | null, onToken(token: string): void }} props
 */
export function LoginForm({ title, need, message, onToken }) {
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const [busy, setBusy] = useState(false);
  /** @param {SubmitEvent} event */
  const submit = async (event) => {
    event.preventDefault();
    const form = new FormData(/** @type {HTMLFormElement} */ (event.currentTarget));
    const token = String(form.get('token') ?? '').trim();
    if (token !== '') return onToken(token);
    setBusy(true);
    setError(null);
    try {
      onToken(await login(String(form.get('username') ?? ''), String(form.get('password') ?? '')));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'The server could not be reached');
    } finally {
      setBusy(false);
    }
  };
  return html`<main class="login">
    <form onSubmit=${submit} aria-labelledby="login-title">
      <h1 id="login-title">${title}</h1>
      <p class="hint">${need}</p>
      ${message ? html`<p class="notice" role="alert">${message}</p>` : null}
      <label>Username <input name="username" autocomplete="username" /></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" /></label>
      <p class="or">or</p>
      <label>API token <input name="token" autocomplete="off" spellcheck="false" /></label>
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      <button type="submit" disabled=${busy}>Sign in</button>
      <p class="hint">The credential is kept for this tab only.</p>
    </form>
  </main>`;
}
