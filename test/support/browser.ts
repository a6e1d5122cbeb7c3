import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { servicesRequired } from './services.js';

/** Debian's Chromium (the `chromium` package, which .ci/run installs), or the one CHROMIUM_PATH names. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function chromiumInstalled(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (servicesRequired) throw new Error(`Chromium is required (REQUIRE_SERVICES=1) but ${CHROMIUM_PATH} does not exist: apt-get install -y chromium`);
  return false;
}

/** Whether the page tests can run; with REQUIRE_SERVICES=1 a missing Chromium fails the file instead. */
export const chromiumAvailable = chromiumInstalled();

/**
 * A headless Chromium as a test drives it. The flags keep it from reaching for the network on its own (updates,
 * sync, first-run pages): this machine's network is closed, and a test's page speaks only to the test's server.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
