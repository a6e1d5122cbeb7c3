import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startLiveStack, type LiveStack } from '../support/liveStack.js';

/** The live stack and a Chromium for the page tests of one file; read them inside tests. */
export type PageStack = {
  readonly stack: LiveStack;
  readonly origin: string;
  readonly browser: Browser;
  /** A new page at `path`, signed in with `token` (by the address's fragment), once its socket is live. */
  open(path: string, token: string): Promise<Page>;
};

export function usePageStack(secret: string): PageStack {
  let stack: LiveStack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startLiveStack({ secret });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  const started = <T>(part: T | undefined): T => {
    if (part === undefined) throw new Error('the page stack has not started');
    return part;
  };
  return {
    get stack() {
      return started(stack);
    },
    get browser() {
      return started(browser);
    },
    get origin() {
      return new URL(started(stack).api.url).origin;
    },
    async open(path, token) {
      const page = await started(browser).newPage({ viewport: { width: 1600, height: 1000 } });
      await page.goto(`${this.origin}${path}#token=${token}`);
      await page.getByTestId('link').getByText('Live').waitFor();
      return page;
    },
  };
}
