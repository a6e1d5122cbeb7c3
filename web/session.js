// @ts-check
// The page's session: the tab's credential, the socket it opens, and what happens when the server ends it.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { connect, credential } from './api.js';
import { html, LoginForm } from './ui.js';

/**
 * @typedef {{
 *   signedIn: boolean,
 *   api: import('./api.js').Api | null,
 *   link: import('./api.js').LinkState,
 *   message: string | null,
 *   signIn(token: string): void,
 *   signOut(): Promise<void>,
 * }} Session
 */

/**
 * The credential of the tab and a socket opened with it. A credential the server refuses or revokes (4403) signs
 * the page out at once, saying why; a lost socket reconnects by itself.
 * @returns {Session}
 */
export function useSession() {
  const [token, setToken] = useState(() => credential.get());
  const [message, setMessage] = useState(/** @type {string | null} */ (null));
  const [link, setLink] = useState(/** @type {import('./api.js').LinkState} */ ('connecting'));
  const [api, setApi] = useState(/** @type {import('./api.js').Api | null} */ (null));
  useEffect(() => {
    if (token === null) return undefined;
    const opened = connect(token, {
      onState: setLink,
      onRefused: (reason) => {
        credential.clear();
        setMessage(`Signed out: ${reason}`);
        setToken(null);
      },
    });
    setApi(opened);
    return () => {
      opened.close();
      setApi(null);
      setLink('connecting');
    };
  }, [token]);
  return {
    signedIn: token !== null,
    api,
    link,
    message,
    signIn(next) {
      credential.set(next);
      setMessage(null);
      setToken(next);
    },
    async signOut() {
      // A session ends on the server too; an API token stays valid (only an ADMIN revokes it) and is just forgotten here.
      await api?.request('mutation { logout { __typename } }').catch(() => undefined);
      credential.clear();
      setMessage('Signed out');
      setToken(null);
    },
  };
}

/**
 * @typedef {{ api: import('./api.js').Api, link: import('./api.js').LinkState, onSignOut(): void }} PageProps
 */

/**
 * Shows a page in #app: the login form until the tab has a credential, then `Page` with the socket it opened.
 * @param {{ title: string, need: string, Page: import('preact').ComponentType<PageProps> }} page
 */
export function mountPage({ title, need, Page }) {
  function App() {
    const session = useSession();
    if (!session.signedIn) return html`<${LoginForm} title=${title} need=${need} message=${session.message} onToken=${session.signIn} />`;
    if (session.api === null) return html`<p class="empty" role="status">Connecting…</p>`;
    return html`<${Page} api=${session.api} link=${session.link} onSignOut=${session.signOut} />`;
  }
  render(html`<${App} />`, /** @type {HTMLElement} */ (document.getElementById('app')));
}
