// The Processes table: each head sits over its column, on the column's side (names left, numbers
// right), at a laptop's width and a desktop's where the columns are wide.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady, loadSpec } from './fixtures';

const spec = readFileSync(new URL('../../public/examples/map-reduce.yaml', import.meta.url), 'utf8');

for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
  test(`at ${width}×${height} every Processes head is aligned with its column`, async ({ guardedPage: page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await waitForReady(page);
    await loadSpec(page, spec);
    await page.getByTestId('run').click();
    await expect(page.getByTestId('pause')).toHaveCount(0, { timeout: 30_000 });
    const table = page.locator('table').filter({ has: page.getByRole('button', { name: /^heap B/ }) });
    await expect(table.locator('tbody tr:not(.spacer)').first()).toBeVisible();
    const columns = await table.evaluate((element) => {
      const textBox = (cell: Element) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
        return { left: Math.min(...rects.map((rect) => rect.left)), right: Math.max(...rects.map((rect) => rect.right)) };
      };
      const heads = [...element.querySelectorAll('thead th')];
      const cells = [...element.querySelectorAll('tbody tr:not(.spacer)')[0].querySelectorAll('td')];
      return heads.map((head, index) => ({
        label: (head.textContent ?? '').replace(/[▴▾]/g, '').trim(),
        numeric: getComputedStyle(cells[index]).textAlign === 'right',
        head: textBox(head.querySelector('button')!),
        cell: textBox(cells[index]),
      }));
    });
    expect(columns.length).toBe(9);
    for (const column of columns) {
      const [head, cell] = column.numeric ? [column.head.right, column.cell.right] : [column.head.left, column.cell.left];
      expect(Math.abs(head - cell), `"${column.label}" (${column.numeric ? 'right' : 'left'}) head at ${head}, its cells at ${cell}`).toBeLessThanOrEqual(2);
    }
    expect(columns.filter((column) => column.numeric).map((column) => column.label)).toEqual(['pid', 'node', 'nice', 'cpu µs', 'heap B', 'sent', 'recv']);
    await page.screenshot({ path: `test-results/screenshots/processes-align-${width}x${height}.png` });
  });
}
