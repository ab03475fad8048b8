// Typing that was never saved survives a reload (issue 10, a fresh-eyes review): the editor's text
// is kept a moment after each edit, restored as it was, still unsaved.
import { test, expect, waitForReady } from './fixtures';

test('unsaved typing survives a reload, restored and still marked unsaved; a saved draft stays the saved one', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  const editor = page.getByLabel('Spec (YAML)');
  await editor.click();
  await page.keyboard.type('agents:\n  - name: typed-not-saved\n');
  await expect(page.getByText(/unsaved changes/i)).toBeVisible();
  await page.waitForTimeout(1_000); // the pause after typing
  await page.reload();
  await waitForReady(page);
  await expect(editor).toContainText('typed-not-saved');
  await expect(page.getByText('Draft restored from this browser.')).toBeVisible();
  await expect(page.getByText(/unsaved changes/i)).toBeVisible();
  // Saved, then typed on: a reload shows the typing, and Save draft still has something to save.
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText('Draft saved in this browser.')).toBeVisible();
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('# after the save\n');
  await page.waitForTimeout(1_000);
  await page.reload();
  await waitForReady(page);
  await expect(editor).toContainText('# after the save');
  await expect(editor).toContainText('typed-not-saved');
  await expect(page.getByRole('button', { name: 'Save draft' })).toBeEnabled();
});
