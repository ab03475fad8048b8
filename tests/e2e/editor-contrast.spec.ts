// The spec editor's text keeps WCAG AA contrast (4.5:1) on the line the cursor is on, in the
// light and the dark theme: the active line's tint must not sink the keys' accent colour under it.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, waitForReady, loadSpec } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

for (const scheme of ['light', 'dark'] as const) {
  test(`editor: the active line keeps AA contrast (${scheme})`, async ({ guardedPage: page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('/');
    await waitForReady(page);
    await loadSpec(page, example('memory-leak.yaml'));
    const editor = page.getByLabel('Spec (YAML)');
    await editor.focus();
    await page.keyboard.press('ControlOrMeta+Home');
    await expect(page.locator('.cm-activeLine').first()).toContainText('agentos: 1');
    const results = await new AxeBuilder({ page }).include('.cm-editor').withRules(['color-contrast']).analyze();
    const failures = results.violations.flatMap((violation) => violation.nodes.map((node) => `${node.target.join(' ')}: ${node.any.map((check) => check.message).join('; ')}`));
    expect(failures).toEqual([]);
  });
}
