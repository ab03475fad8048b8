// The audit as a user meets it: the Merkle root at the cursor in the status bar (the same root
// the headless kernel computes), the Audit button's report, and a link whose run was altered
// behind an intact checksum refused by its root.
import { readFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { test, expect, waitForReady, loadAndRun } from './fixtures';
import { Kernel } from '../../src/kernel/kernel';
import { loadCoreFromDisk } from '../../src/core/node';
import { encodeSessionLink, fromBase64Url, toBase64Url } from '../../src/share/link';
import { crc32 } from '../../src/persist/checksum';
import { RULED } from '../helpers/rules';

test('the status bar shows the root at the cursor; the Audit button offers the report; an altered link is refused by its root', async ({ guardedPage: page, baseURL }) => {
  const kernel = Kernel.fromText(RULED, await loadCoreFromDisk('release'));
  kernel.run({ events: 1000 });
  const root = kernel.rootAt();
  const link = await encodeSessionLink(kernel.toSession(), `${baseURL}/`);

  await page.goto(link.slice(link.indexOf('#') - 1));
  await waitForReady(page);
  await expect(page.getByTestId('cursor')).toHaveText('event 1,000', { timeout: 30_000 });
  const badge = page.getByTestId('merkle-root');
  await expect(badge).toHaveAttribute('data-root', root, { timeout: 20_000 });
  await expect(badge).toHaveText(`root ${root.slice(0, 12)}`);

  await page.getByTestId('audit-button').click();
  const panel = page.getByRole('dialog', { name: 'Audit report' });
  await expect(panel.getByTestId('audit-summary')).toContainText('3 rules and 1 invariant, ');
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download Markdown' }).click();
  const file = await (await download).path();
  expect(readFileSync(file, 'utf8')).toContain(root);
  await panel.getByRole('button', { name: 'Close' }).click();

  // The same link with another seed inside, the root bytes kept and the CRC recomputed.
  const bytes = fromBase64Url(link.slice(link.indexOf('#s2=') + 4));
  const json = JSON.parse(inflateRawSync(bytes.subarray(34, bytes.length - 4)).toString('utf8'));
  json.seed = 6;
  const body = deflateRawSync(Buffer.from(JSON.stringify(json)));
  const forged = new Uint8Array(34 + body.length + 4);
  forged.set(bytes.subarray(0, 34));
  forged.set(body, 34);
  new DataView(forged.buffer).setUint32(forged.length - 4, crc32(forged.subarray(0, forged.length - 4)), true);
  await page.goto(`/#s2=${toBase64Url(forged)}`);
  await page.reload();
  await waitForReady(page);
  await expect(page.getByText(/does not replay to the Merkle root it carries/)).toBeVisible({ timeout: 30_000 });
});

test('the Audit report of a spec with no rules says there is nothing to check, and how to add some', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await loadAndRun(page, readFileSync(new URL('../../public/examples/auction.yaml', import.meta.url), 'utf8'));
  await page.getByTestId('audit-button').click();
  const summary = page.getByRole('dialog', { name: 'Audit report' }).getByTestId('audit-summary');
  await expect(summary).toHaveText('No rules or invariants in this spec: nothing to check (add invariants: or rules: to it).');
});
