// @ts-check
// What every page shares: htm bound to Preact, figures that show they changed, durations, the login form, and the
// connection's state.
import { Component, h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { ApiError, login } from './api.js';

export const html = htm.bind(h);

/**
 * Re-renders every `ms` (never for 0), for what counts on by itself (a wait, an uptime).
 * @param {number} ms
 * @returns {number} the time now, epoch ms
 */
export function useNow(ms = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (ms <= 0) return undefined;
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * The component, rendered again only when one of its props is another value than before (compared by identity):
 * a board of many cards redraws the card whose data changed, not all of them on every event.
 * @template {Record<string, unknown>} P
 * @param {(props: P) => import('preact').ComponentChild} render
 * @returns {import('preact').ComponentType<P>}
 */
export function memo(render) {
  /** @extends {Component<P>} */
  class Memo extends Component {
    /** @param {P} next */
    shouldComponentUpdate(next) {
      const before = /** @type {Record<string, unknown>} */ (this.props);
      const keys = Object.keys(next);
      return keys.length !== Object.keys(before).length || keys.some((key) => next[key] !== before[key]);
    }

    /** @param {P} props */
    render(props) {
      return h(render, props);
    }
  }
  return Memo;
}

/**
 * An element id from names the server gives (a queue, a PBX), safe whatever they hold: spaces and other characters
 * would break the id and every aria-labelledby that names it.
 * @param {...string} parts
 */
export function idOf(...parts) {
  return parts.map((part) => part.replace(/[^A-Za-z0-9_-]/g, (character) => `_${character.charCodeAt(0).toString(16)}`)).join('-');
}

/** The time, to the minute (a screen that redraws every second for its clock pays for it all day). */
export function Clock() {
  const now = useNow(5_000);
  return html`<time datetime=${new Date(now).toISOString()}>${new Date(now).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time>`;
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
 * across the room, unless it `counts` by itself or changes all the time (a wait, an uptime, channels up); `tone`
 * colours it (ok, warn, bad).
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
