/** Where the browser tests find Chromium, and the flags they launch it with. */
import { existsSync } from 'node:fs';

/** Debian's Chromium, unless `EBM_CHROMIUM` names another. */
export const CHROMIUM: string = process.env.EBM_CHROMIUM ?? '/usr/bin/chromium';
/** Whether the browser tests can run (they skip with one message otherwise). */
export const hasChromium: boolean = existsSync(CHROMIUM);

/** The launch flags CI uses as root (the user-data dir is a fresh temporary folder per run). */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
