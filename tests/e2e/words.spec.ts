// Words on screen: counts agree with their noun ("1 channel", never "1 channels"); two
// checkpoints of one run at a laptop's width show what tells them apart (the event, the time
// saved), not only a name cut short with the difference in a tooltip.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady, loadSpec } from './fixtures';

const ONE_CHANNEL = `agentos: 1
name: one-channel-pair
agents:
  a: { program: producer, args: { count: 10, size: 64B, every: 10us } }
  b: { program: consumer }
channels:
  - { from: a.out, to: b.in, capacity: 4 }
`;

test('the IPC header counts 1 channel and 2 agents', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(ONE_CHANNEL);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('tab', { name: 'IPC' }).click();
  const header = page.getByRole('tabpanel', { name: 'IPC' }).getByRole('heading', { level: 3 });
  await expect(header).toContainText('2 agents · 1 channel · at event');
  await expect(header).not.toContainText('1 channels');
});

test('at 1280×720 two checkpoints of one run read apart in the list', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(readFileSync(new URL('../../public/examples/priority-starvation.yaml', import.meta.url), 'utf8'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  const slider = page.getByRole('slider', { name: 'Timeline' });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('pause')).toHaveCount(0, { timeout: 60_000 });
  // The worst case: both at one event, a second apart (the time saved is all that differs).
  for (const [index, event] of ['53798', '53798'].entries()) {
    if (index > 0) await page.waitForTimeout(1100);
    await slider.fill(event);
    await expect(page.getByTestId('cursor')).toHaveText(`event ${Number(event).toLocaleString('en')}`);
    await page.getByRole('button', { name: 'Checkpoint', exact: true }).click();
    await expect(page.getByText(new RegExp(`Saved checkpoint "priority-starvation @ event ${event}`))).toBeVisible();
  }
  const rows = page.getByRole('list', { name: 'Saved checkpoints' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);
  // What the eye sees of each row's title: the text within its box, clipped parts left out.
  const shown = async (index: number) => rows.nth(index).locator(':scope > span').first().evaluate((title) => {
    const box = title.getBoundingClientRect();
    const range = document.createRange();
    let text = '';
    const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < (node.textContent ?? '').length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const char = range.getBoundingClientRect();
        // A character is seen when it lies inside the title and inside its own (clipping) span.
        const parent = (node.parentElement as HTMLElement).getBoundingClientRect();
        if (char.width > 0 && char.right <= Math.min(box.right, parent.right) + 0.5) text += node.textContent![i];
      }
      text += ' ';
    }
    return text.replace(/\s+/g, ' ').trim();
  });
  const [first, second] = [await shown(0), await shown(1)];
  expect(first, 'the two rows read apart').not.toBe(second);
  expect(first).toMatch(/@ event 53798 · \d\d:\d\d:\d\d$/);
  expect(second).toMatch(/@ event 53798 · \d\d:\d\d:\d\d$/);
  await page.screenshot({ path: 'test-results/screenshots/checkpoints-1280.png' });
});

test('the header holds its title, tagline and buttons, and no stray text', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  const header = page.getByRole('banner');
  await expect(header).toHaveText(/^AgentOS\s*a time-travelling operating system for agents\s*Share\s*Audit\s*Theme: \w+$/);
  // With a link shown, the same plus the link box (an input: no text of its own).
  await loadSpec(page, ONE_CHANNEL);
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.getByLabel('Share link')).toBeVisible();
  await expect(header).toHaveText(/^AgentOS\s*a time-travelling operating system for agents\s*Share\s*Audit\s*Theme: \w+$/);
});
