/**
 * Browser test scaffolding: the real app on a loopback port over a fresh
 * database, Debian's chromium driven by playwright-core, and an axe-core scan
 * that fails on any serious or critical WCAG 2.1 A/AA violation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp, PASSWORD, type TestApp } from '../helpers.js';

export const CHROMIUM = '/usr/bin/chromium';
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** The reason to skip, when this machine has no chromium (CI installs it and checks before running). */
export const noBrowser = existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`;

export type Served = TestApp & { baseUrl: string };

export async function serve(opts: { demo?: boolean } = {}): Promise<Served> {
  const t = await createTestApp(opts);
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...t, baseUrl: address };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type Violation = { id: string; impact: string | null; help: string; nodes: string[] };

/** Runs axe on the current page; returns serious and critical violations (empty when clean). */
export async function axe(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy (no inline scripts) stays in force.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return (result as Violation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Asserts a clean axe scan, naming the page and each violation if not. */
export async function assertAccessible(page: Page, where = page.url()): Promise<void> {
  const v = await axe(page);
  if (v.length) throw new Error(`axe found ${v.length} serious/critical violation(s) on ${where}:\n${v.map((x) => `- ${x.id} (${x.impact}): ${x.help} at ${x.nodes.slice(0, 3).join(', ')}`).join('\n')}`);
}

export async function signIn(page: Page, baseUrl: string, email: string, password = PASSWORD) {
  await page.goto(`${baseUrl}/signin`);
  await assertAccessible(page);
  await page.getByLabel(/Email|E-post|E-mail/).fill(email);
  await page.getByLabel(/^(Password|Lösenord|Passord|Adgangskode)$/).fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/signin')), page.getByRole('button', { name: /Sign in|Logga in|Logg inn|Log ind/ }).last().click()]);
}
