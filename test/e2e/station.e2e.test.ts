import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { DataType } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_COLUMNS } from '../../src/main/reports/csvReport';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, hasChromium } from '../helpers/chromium';
import { freePort } from '../helpers/freePort';
import { connectPlc } from '../helpers/plcClient';
import { spawnServe } from '../helpers/serveProcess';
import { writeY4mFromImages } from '../helpers/y4mVideo';

/**
 * The station as people use it: the browser host started by `qa-station serve`, driven through
 * Debian's Chromium on synthetic data. One story, in order: first-run setup, products, import,
 * training, promotion, inspection from files, the hot folder and a fake camera, history, the CSV
 * report, and supervisor actions refused without the PIN. Screenshots land in test-results/e2e.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const PRODUCTS = ['product_00', 'product_01'];
const SUPERVISOR = { name: 'sam', pin: '2468' };
/** The screens stations have: a small panel PC, a laptop, a line monitor. */
const STATION_SCREENS = [
  [1024, 768],
  [1366, 768],
  [1920, 1080],
] as const;

let data: string;
let home: string;
let hot: string;
let server: ChildProcess;
let browser: Browser;
let page: Page;
let url: string;

const image = (product: string, folder: string, file = '000.png') => path.join(data, product, folder, file);

async function startServer(): Promise<string> {
  const serve = spawnServe(home, '3,12');
  server = serve.proc;
  return serve.url;
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function go(screen: 'inspect' | 'history' | 'retrain' | 'reports' | 'settings'): Promise<void> {
  await page.getByTestId(`nav-${screen}`).click();
}

/** Picks the product to inspect and checks the choice held (a late-loading list must not overwrite it). */
async function inspectProduct(product: string): Promise<void> {
  await page.getByTestId('product-select').selectOption(product);
  await page.waitForTimeout(300);
  expect(await page.getByTestId('product-select').inputValue()).toBe(product);
}

/** The newest recorded inspection, read through the page's own bridge (what the screens show). */
async function latestResult(): Promise<{ source: string; product: string; verdict: string; fileName: string } | null> {
  return page.evaluate(async () => {
    const bridge = (
      globalThis as unknown as {
        station: {
          call(
            m: string,
            i: unknown,
          ): Promise<{ ok: boolean; value?: { rows: { source: string; product: string; verdict: string; fileName: string }[] } }>;
        };
      }
    ).station;
    const result = await bridge.call('history.list', { page: 0, pageSize: 1, product: null, verdict: null, from: null, to: null });
    return result.ok ? (result.value?.rows[0] ?? null) : null;
  });
}

/**
 * Pixels of the threshold chart's bars (below its legend) in the labelled defects' colour
 * (CHART_COLOURS.series[5]): what the supervisor sees of them, not only what the page was given.
 */
async function validationBarPixels(): Promise<number> {
  const canvas = await page.getByTestId('threshold-histogram').locator('canvas').screenshot();
  const { data, info } = await sharp(canvas).raw().toBuffer({ resolveWithObject: true });
  const legend = 40 * info.width * info.channels;
  let pixels = 0;
  for (let i = legend; i + 2 < data.length; i += info.channels)
    if (Math.abs((data[i] ?? 0) - 0x4d) < 16 && Math.abs((data[i + 1] ?? 0) - 0xd8) < 16 && Math.abs((data[i + 2] ?? 0) - 0xd0) < 16)
      pixels += 1;
  return pixels;
}

async function noErrorBanner(): Promise<void> {
  expect(
    await page.getByTestId('error-banner').count(),
    await page
      .getByTestId('error-banner')
      .allTextContents()
      .then((t) => t.join(' | ')),
  ).toBe(0);
}

const describeIf = hasChromium ? describe : describe.skip;
if (!hasChromium) console.warn(`e2e: ${CHROMIUM_PATH} is missing (apt-get install -y chromium): the browser tests are skipped`);

describeIf('QA Station in the browser host', () => {
  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html'))) throw new Error('Build the UI first: npm run build:renderer');
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    data = mkdtempSync(path.join(os.tmpdir(), 'qa-e2e-data-'));
    home = mkdtempSync(path.join(os.tmpdir(), 'qa-e2e-home-'));
    hot = mkdtempSync(path.join(os.tmpdir(), 'qa-e2e-hot-'));
    await generateSyntheticDataset({
      outDir: data,
      classes: 2,
      seed: 5,
      size: 96,
      nMax: 12,
      testGood: 2,
      testDefectsPerType: 1,
      defectTypes: ['missing', 'stain'],
    });
    // The fake camera shows a part with a missing piece.
    const video = path.join(data, 'camera.y4m');
    await writeY4mFromImages(video, [image('product_00', 'test/missing')], { width: 320, height: 320, framesPerImage: 10 });
    url = await startServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        ...CHROMIUM_FLAGS,
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') console.warn(`browser console: ${message.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    for (const dir of [data, home, hot]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens with the token, then sets up the first supervisor', async () => {
    await page.goto(url);
    await expect.poll(() => page.url()).not.toContain('token=');
    await page.getByTestId('first-run-setup').waitFor();
    await shot('01-first-run');
    await page.getByTestId('setup-name').fill(SUPERVISOR.name);
    await page.getByTestId('setup-pin').fill(SUPERVISOR.pin);
    await page.getByTestId('setup-button').click();
    await expect.poll(() => page.getByTestId('first-run-setup').count()).toBe(0);
    await expect.poll(() => page.getByTestId('header-supervisor').textContent()).toContain(SUPERVISOR.name);
    expect(await page.getByTestId('header-backend').textContent()).toMatch(
      /^trains on onnxruntime (cpu|cuda|dml|coreml|webgpu), \d+ threads? \(tfjs .*(wasm|tensorflow).*\); inspects on (cpu|cuda|dml|coreml|webgpu)$/,
    );
  });

  it('refuses supervisor actions without the PIN', async () => {
    await go('retrain');
    await page.getByTestId('lock-button').click();
    await page.getByTestId('unlock-name').waitFor();
    expect(await page.getByTestId('create-product').isDisabled()).toBe(true);
    // The server refuses even when the page is bypassed.
    const direct = await page.evaluate(async () => {
      const bridge = (globalThis as unknown as { station: { call(m: string, i: unknown): Promise<unknown> } }).station;
      return bridge.call('products.create', { name: 'sneaky' });
    });
    expect(direct).toMatchObject({ ok: false, error: { code: 'not-authorised' } });
    await page.getByTestId('unlock-name').fill(SUPERVISOR.name);
    await page.getByTestId('unlock-pin').fill('0000');
    await page.getByTestId('unlock-button').click();
    // Said in the unlock panel, beside the button pressed, and only there (not at the top of the screen).
    await expect.poll(() => page.locator('.session-panel').getByTestId('error-banner').textContent()).toMatch(/PIN is wrong/);
    expect(await page.getByTestId('error-banner').count()).toBe(1);
    await shot('02-refused-without-pin');
    await page.getByTestId('unlock-pin').fill(SUPERVISOR.pin);
    await page.getByTestId('unlock-button').click();
    await page.getByTestId('session-supervisor').waitFor();
    await noErrorBanner(); // the same call's success takes its message away
  });

  it('creates products and imports good images, skipping duplicates', async () => {
    for (const product of PRODUCTS) {
      await page.getByTestId('new-product-name').fill(product);
      await page.getByTestId('create-product').click();
      await page.locator(`[data-testid="product-row"][data-product="${product}"]`).waitFor();
      await page.getByTestId('import-product-select').selectOption(product);
      const dir = path.join(data, product, 'train', 'good');
      await page.getByTestId('import-files').setInputFiles(readdirSync(dir).map((f) => path.join(dir, f)));
      await expect.poll(() => page.locator(`[data-testid="product-row"][data-product="${product}"]`).getAttribute('data-count')).toBe('12');
    }
    await page.getByTestId('import-files').setInputFiles([image('product_01', 'train/good', '000.png')]);
    await expect.poll(() => page.getByTestId('import-result').getAttribute('data-duplicates')).toBe('1');
    await shot('03-retrain-products');
  });

  it('trains a model with live progress and promotes it', async () => {
    await page.getByTestId('train-preset').selectOption('fast');
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('training-state').textContent(), { timeout: 60_000 }).toBe('running');
    await expect.poll(() => page.getByTestId('training-phase').getAttribute('data-phase'), { timeout: 120_000 }).toBe('phase2');
    // The loss chart marks where each phase began, against the step of the whole run.
    await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-phases')).toBe('phase 1: product names|phase 2: defects');
    await shot('04-training-progress');
    await expect.poll(() => page.getByTestId('training-state').textContent(), { timeout: 280_000, interval: 2000 }).toBe('succeeded');
    const candidate = page.locator('[data-testid="model-row"][data-status="candidate"]');
    await candidate.waitFor();
    await shot('05-candidate-model');
    await candidate.getByTestId('promote-button').click();
    // Asked first: promoting changes what the line inspects with.
    expect(await page.locator('[data-testid="model-row"][data-status="active"]').count()).toBe(0);
    await shot('05b-promote-confirm');
    await candidate.getByTestId('promote-button-confirm').click();
    await page.locator('[data-testid="model-row"][data-status="active"]').waitFor();
    await expect.poll(() => page.getByTestId('header-model').textContent()).toMatch(/ltad-/);
    await noErrorBanner();
  }, 300_000);

  it('inspects files: PASS on a good part, FAIL with an overlay and defects on a broken one', async () => {
    await go('inspect');
    await inspectProduct('product_00');
    await page.getByTestId('source-files').click();
    await page.getByTestId('file-input').setInputFiles([image('product_00', 'train/good', '000.png')]);
    await expect.poll(() => page.getByTestId('verdict').getAttribute('data-verdict')).toBe('pass');
    await shot('06-inspect-pass');
    await page.getByTestId('file-input').setInputFiles([image('product_00', 'test/missing')]);
    await expect.poll(() => page.getByTestId('verdict').getAttribute('data-verdict')).toBe('fail');
    expect(await page.getByTestId('verdict').textContent()).toBe('FAIL');
    await expect.poll(() => page.getByTestId('defect-row').count()).toBeGreaterThan(0);
    const overlay = page.getByTestId('overlay-image');
    await expect
      .poll(() =>
        overlay.evaluate((img) => {
          const i = img as unknown as { complete: boolean; naturalWidth: number };
          return i.complete && i.naturalWidth > 0;
        }),
      )
      .toBe(true);
    expect(Number(await page.getByTestId('score').textContent())).toBeGreaterThan(
      Number(await page.getByTestId('threshold').textContent()),
    );
    // One scale for every product: the threshold at 0.5, the model's raw score and threshold beside it.
    expect(await page.getByTestId('threshold').textContent()).toBe('0.50');
    expect(await page.getByTestId('raw-score').textContent()).toMatch(/^raw -?\d+\.\d{3} \/ -?\d+\.\d{3}$/);
    await shot('07-inspect-fail-overlay');
    // Pointing at a defect row outlines its region on the picture; the picture zooms and fits again.
    await page.getByTestId('defect-row').first().hover();
    await page.getByTestId('region-highlight').waitFor();
    await page.getByTestId('zoom-in').click();
    await expect.poll(async () => Number(await page.getByTestId('image-frame').getAttribute('data-zoom'))).toBeGreaterThan(1);
    await shot('07a-inspect-zoomed-highlighted');
    await page.getByTestId('zoom-reset').click();
    await expect.poll(() => page.getByTestId('image-frame').getAttribute('data-zoom')).toBe('1');
    await page.mouse.move(0, 0);
    await expect.poll(() => page.getByTestId('region-highlight').count()).toBe(0);
    // The other product's part under this product's name: the station says it does not look right.
    await page.getByTestId('file-input').setInputFiles([image('product_01', 'test/good')]);
    await expect.poll(() => page.getByTestId('class-warning').count()).toBe(1);
    // Nearer product_01, or (the two synthetic textures pool alike) far from every product it knows.
    expect(await page.getByTestId('class-warning').textContent()).toMatch(/looks more like product_01|nor like any other product/);
    expect(await page.getByTestId('verdict').getAttribute('data-verdict')).toBe('fail'); // never passed under the wrong name
    await shot('07b-inspect-wrong-product');
  });

  it('shows the verdict, the picture with its overlay and the defects without scrolling, on the screens stations have', async () => {
    for (const [width, height] of STATION_SCREENS) {
      await page.setViewportSize({ width, height });
      await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
      const image = page.getByTestId('result-image');
      await expect.poll(() => image.evaluate((img) => (img as unknown as { complete: boolean }).complete)).toBe(true);
      // Only the viewport, as the operator sees it (the other screenshots are whole pages).
      await page.screenshot({ path: path.join(SHOTS, `inspect-fail-${width}x${height}.png`) });
      for (const id of ['verdict', 'result-image', 'defect-list']) {
        const box = await page.getByTestId(id).boundingBox();
        expect(box, `${id} at ${width}x${height}`).not.toBeNull();
        const { x, y, width: w, height: h } = box as NonNullable<typeof box>;
        expect(
          x >= 0 && y >= 0 && x + w <= width + 1 && y + h <= height + 1,
          `${id} inside ${width}x${height}: ${JSON.stringify(box)}`,
        ).toBe(true);
      }
    }
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it("puts a refusal in the last result's place, naming the file once", async () => {
    await page.getByTestId('source-files').click();
    await page.getByTestId('file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
    await page.getByTestId('refusal').waitFor();
    expect(await page.getByTestId('verdict').count()).toBe(0); // the FAIL before is not this part's
    const text = (await page.getByTestId('refusal').textContent()) ?? '';
    expect(text.match(/notes\.txt/g)).toHaveLength(1);
    await shot('07c-inspect-refused');
    await page.getByTestId('file-input').setInputFiles([image('product_01', 'test/good')]);
    await expect.poll(() => page.getByTestId('verdict').count()).toBe(1); // a new result takes the place again
    expect(await page.getByTestId('refusal').count()).toBe(0);
  });

  it('inspects what lands in the hot folder and moves bad files aside', async () => {
    await go('settings');
    await page.getByTestId('settings-hot-folder').fill(hot);
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-hot-folder').inputValue()).toBe(hot);
    await shot('08-settings');
    await go('inspect');
    await inspectProduct('product_01');
    await page.getByTestId('source-folder').click();
    await page.getByTestId('hot-folder-start').click();
    await expect.poll(() => page.getByTestId('hot-folder-status').getAttribute('data-watching')).toBe('true');
    expect(await page.getByTestId('hot-folder-status').textContent()).toContain('for product_01');
    copyFileSync(image('product_01', 'test/stain'), path.join(hot, 'line-cam-0001.png'));
    writeFileSync(path.join(hot, 'line-cam-0002.png'), 'this is not an image');
    await expect
      .poll(latestResult, { timeout: 60_000 })
      .toMatchObject({ source: 'hot-folder', product: 'product_01', verdict: 'fail', fileName: 'line-cam-0001.png' });
    await expect.poll(() => page.getByTestId('verdict').getAttribute('data-verdict')).toBe('fail');
    await expect.poll(() => page.getByTestId('rejected-row').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('rejected-list').textContent()).toContain('line-cam-0002.png');
    await expect.poll(() => existsSync(path.join(hot, 'rejected', 'line-cam-0002.png'))).toBe(true);
    expect(existsSync(path.join(hot, 'inspected', 'line-cam-0001.png'))).toBe(true);
    await shot('09-inspect-hot-folder');
    await page.getByTestId('hot-folder-stop').click();
  });

  it('inspects a frame from the camera', async () => {
    await inspectProduct('product_00');
    await page.getByTestId('source-camera').click();
    await expect
      .poll(() => page.locator('video').evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await page.getByTestId('capture-button').click();
    await expect.poll(latestResult, { timeout: 60_000 }).toMatchObject({ source: 'camera', product: 'product_00', verdict: 'fail' });
    await expect.poll(() => page.getByTestId('capture-button').isEnabled()).toBe(true);
    await shot('10-inspect-camera');
  });

  it('keeps auto capture off once a supervisor turns it off, after leaving the screen and coming back', async () => {
    const interval = page.getByTestId('capture-interval');
    const savedInterval = () =>
      page.evaluate(async () => {
        const bridge = (
          globalThis as unknown as { station: { call(m: string, i: unknown): Promise<{ value?: { captureIntervalSeconds: number } }> } }
        ).station;
        return (await bridge.call('settings.get', {})).value?.captureIntervalSeconds;
      });
    await interval.fill('2');
    await interval.press('Tab');
    await expect.poll(savedInterval).toBe(2);
    await interval.fill('0');
    await interval.press('Tab');
    await expect.poll(savedInterval).toBe(0); // compared with what was just saved, not with what the screen loaded
    await expect.poll(() => page.getByTestId('capture-button').isEnabled()).toBe(true); // a capture begun at 2 s has finished
    const before = await latestResult();
    await go('history');
    await go('inspect');
    await page.getByTestId('source-camera').click();
    expect(await interval.inputValue()).toBe('0');
    await page.waitForTimeout(3_000);
    expect(await latestResult()).toEqual(before);
  });

  it('lists the results in history and records a review', async () => {
    await go('history');
    await expect.poll(() => page.getByTestId('history-row').count()).toBe(6);
    await shot('11-history');
    // The file each result was of, by name; the Files source is said as "file", not as the API's "import".
    await expect.poll(() => page.getByTestId('history-file').allTextContents()).toContain('line-cam-0001.png');
    await page.locator('[data-testid="history-row"]', { hasText: '000.png' }).last().click();
    await expect.poll(() => page.getByTestId('history-detail').textContent()).toContain('000.png · file · model');
    await page.getByTestId('history-row').first().click();
    await page.getByTestId('history-detail').waitFor();
    await page.getByTestId('review-false-reject').click();
    await expect.poll(() => page.getByTestId('history-review').getAttribute('data-review')).toBe('false-reject');
    // One click: the false reject becomes a good training image of its product.
    await page.getByTestId('add-as-good').click();
    await expect
      .poll(() => page.getByTestId('add-as-good-result').textContent())
      .toMatch(/Added to product_\d\d's good images: .* needs a retrain/);
    const addedTo = /Added to (product_\d\d)'s/.exec((await page.getByTestId('add-as-good-result').textContent()) ?? '')?.[1];
    await shot('12-history-detail');
    // With the supervisor locked (a session that timed out), the buttons stay, disabled, and say why.
    await go('settings');
    await page.getByTestId('lock-button').click();
    await page.getByTestId('unlock-name').waitFor();
    await go('history');
    await page.getByTestId('history-row').first().click();
    expect(await page.getByTestId('add-as-good').isDisabled()).toBe(true);
    expect(await page.getByTestId('add-as-defect').isDisabled()).toBe(true);
    expect(await page.getByTestId('history-detail').getByTestId('supervisor-needed').textContent()).toMatch(
      /supervisor PIN is needed to add images/,
    );
    await shot('12b-history-detail-locked');
    await go('settings');
    await page.getByTestId('unlock-name').fill(SUPERVISOR.name);
    await page.getByTestId('unlock-pin').fill(SUPERVISOR.pin);
    await page.getByTestId('unlock-button').click();
    await page.getByTestId('session-supervisor').waitFor();
    // The product the image went to says it needs a retrain, on its row and beside the training controls.
    await go('retrain');
    const addedRow = page.locator(`[data-testid="product-row"][data-product="${addedTo}"]`);
    await expect.poll(() => addedRow.getAttribute('data-needs-retrain')).toBe('true');
    expect(await addedRow.getByTestId('needs-retrain').textContent()).toBe(
      'needs retrain: 1 good image added since the active model was trained',
    );
    expect(await page.getByTestId('retrain-needed').textContent()).toContain(`${addedTo} (1 good image added`);
    await shot('12c-retrain-needs-retrain');
    await go('history');
    // Batch review: the same results as pictures, the verdict by colour; a tile opens its detail.
    await page.getByTestId('history-view-grid').click();
    await expect.poll(() => page.getByTestId('history-tile').count()).toBe(6);
    expect(await page.locator('.history-tile--fail').count()).toBeGreaterThanOrEqual(5);
    await page.getByTestId('history-tile').nth(1).click();
    await page.getByTestId('history-detail').waitFor();
    await shot('12a-history-pictures');
    await page.getByTestId('history-close').click();
    // The choice of pictures holds across a reload of the page.
    await page.reload();
    await go('history');
    await expect.poll(() => page.getByTestId('history-tile').count()).toBe(6);
    expect(await page.getByTestId('history-view-grid').getAttribute('aria-pressed')).toBe('true');
  });

  it('opens a history detail beside the pictures and in view, on the screens stations have', async () => {
    for (const [width, height] of STATION_SCREENS) {
      await page.setViewportSize({ width, height });
      await page.getByTestId('history-tile').last().click();
      const detail = page.getByTestId('history-detail');
      await detail.waitFor();
      await page.waitForTimeout(200); // the grid narrows beside it
      await page.screenshot({ path: path.join(SHOTS, `history-detail-${width}x${height}.png`) });
      const [grid, box] = [await page.getByTestId('history-grid').boundingBox(), await detail.boundingBox()];
      expect(
        grid && box && box.x >= grid.x + grid.width - 1,
        `detail beside the grid at ${width}x${height}: ${JSON.stringify([grid, box])}`,
      ).toBe(true);
      // Its title, verdict and actions are in view without scrolling.
      for (const target of [page.getByTestId('history-close'), detail.getByTestId('verdict'), page.getByTestId('add-as-good')]) {
        const b = await target.boundingBox();
        expect(
          b !== null && b.x >= 0 && b.y >= 0 && b.x + b.width <= width + 1 && b.y + b.height <= height + 1,
          `inside ${width}x${height}: ${JSON.stringify(b)}`,
        ).toBe(true);
      }
      await page.getByTestId('history-close').click();
    }
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.getByTestId('history-view-table').click();
  });

  it('exports the CSV report with one row per inspection', async () => {
    await go('reports');
    // A range that cannot match anything is said, and not exported.
    await page.getByTestId('report-from').fill('2030-01-02T00:00:00');
    await page.getByTestId('report-to').fill('2030-01-01T00:00:00');
    await page.getByTestId('report-range-problem').waitFor();
    expect(await page.getByTestId('report-export').isDisabled()).toBe(true);
    await page.getByTestId('report-to').fill('');
    await page.getByTestId('report-empty').waitFor(); // from 2030 on there is nothing yet
    await page.getByTestId('report-from').fill('');
    await expect.poll(() => page.getByTestId('report-count').textContent()).toMatch(/6/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-export').click()]);
    const file = path.join(data, 'report.csv');
    await download.saveAs(file);
    const text = readFileSync(file, 'utf8');
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(REPORT_COLUMNS.join(','));
    expect(lines).toHaveLength(7);
    const column = (name: (typeof REPORT_COLUMNS)[number]) => lines.slice(1).map((l) => l.split(',')[REPORT_COLUMNS.indexOf(name)]);
    const verdicts = column('verdict');
    // Every row on the one scale: threshold 0.5, scores within 0..1, the raw pair beside them.
    expect(column('threshold').every((t) => t === '0.5')).toBe(true);
    expect(column('score').every((v) => Number(v) >= 0 && Number(v) <= 1 && v !== '')).toBe(true);
    expect(column('raw_threshold').every((t) => Number.isFinite(Number(t)) && t !== '')).toBe(true);
    expect(verdicts.filter((v) => v === 'PASS').length).toBeGreaterThanOrEqual(1);
    expect(verdicts.filter((v) => v === 'FAIL').length).toBeGreaterThanOrEqual(5); // missing piece, wrong product twice, stain, camera
    expect(lines.some((l) => l.includes('line-cam-0001.png'))).toBe(true);
    expect(lines.some((l) => l.endsWith(',camera,false-reject'))).toBe(true); // the review made in History, with its source
    // The same range as charts: the defect rate per day, and the failures per product, most first.
    await page.getByTestId('defect-rate-chart').waitFor();
    expect(Number(await page.getByTestId('defect-rate-chart').getAttribute('data-days'))).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('failure-pareto').getAttribute('data-products')).toMatch(/product_0/);
    await shot('13-reports');
  });

  it('tunes a threshold on fixed axes, the slider following a typed value, with the defective parts beside the good ones', async () => {
    await go('retrain');
    await page.getByTestId('threshold-product-select').selectOption('product_00');
    const chart = page.getByTestId('threshold-histogram');
    const range = await chart.getAttribute('data-range');
    const [min, max] = (range ?? '').split(',').map(Number) as [number, number];
    const tried = Number((min + 0.6 * (max - min)).toPrecision(6));
    await page.getByTestId('threshold-input').fill(String(tried));
    await expect.poll(async () => Number(await page.getByTestId('threshold-slider').inputValue())).toBeCloseTo(tried, 6);
    expect(await chart.getAttribute('data-range')).toBe(range); // the line moved, the axes did not
    // The failed parts this model inspected stand beside the good scores, with what the tried threshold would pass.
    expect(Number(await chart.getAttribute('data-defects'))).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('threshold-escapes').textContent()).toMatch(/^\d+ of \d+$/);
    await shot('13a-threshold-tuner');
  });

  it('validates the model on labelled defects, imported as defective parts, at its thresholds in force', async () => {
    await go('retrain');
    await page.getByTestId('import-product-select').selectOption('product_00');
    await page.getByTestId('import-kind').selectOption('defect');
    await page.getByTestId('import-files').setInputFiles([image('product_00', 'test/missing'), image('product_00', 'test/stain')]);
    await expect.poll(() => page.getByTestId('import-result').getAttribute('data-added')).toBe('2');
    // Counted per product, beside its good images.
    const productRow = page.locator('[data-testid="product-row"][data-product="product_00"]');
    await expect.poll(() => productRow.getAttribute('data-defects')).toBe('2');
    expect(await productRow.getByTestId('product-defects').textContent()).toBe('2 labelled defects');
    const active = page.locator('[data-testid="model-row"][data-status="active"]');
    await active.getByTestId('validate-button').click();
    const row = active.locator('[data-testid="validation-row"][data-product="product_00"]');
    await row.waitFor({ timeout: 60_000 });
    expect(await row.getByTestId('validation-candidate-confusion').textContent()).toMatch(/defect: \d pass \/ \d fail/);
    expect(await row.getByTestId('validation-candidate-escapes').textContent()).toMatch(/%$/);
    await shot('13b-model-validation');
    // The threshold chart now shows those labelled defects beside the good scores, and how many the threshold would pass.
    await page.getByTestId('threshold-product-select').selectOption('product_00');
    await expect.poll(() => page.getByTestId('threshold-histogram').getAttribute('data-validation-defects')).toBe('2');
    expect(await page.getByTestId('threshold-validation-escapes').textContent()).toMatch(/^\d of 2$/);
    await expect.poll(validationBarPixels).toBeGreaterThan(20);
    // They stay while the supervisor looks elsewhere (History, say) and comes back to apply a threshold, and after it.
    await go('history');
    await go('retrain');
    await page.getByTestId('threshold-product-select').selectOption('product_00');
    await expect.poll(() => page.getByTestId('threshold-histogram').getAttribute('data-validation-defects')).toBe('2');
    await expect.poll(validationBarPixels).toBeGreaterThan(20);
    await page.getByTestId('threshold-apply').click();
    await page.getByTestId('threshold-apply-confirm').click();
    await expect.poll(() => page.getByTestId('threshold-now').getAttribute('data-source')).toBe('supervisor');
    await page.waitForTimeout(500);
    expect(await page.getByTestId('threshold-histogram').getAttribute('data-validation-defects')).toBe('2');
    expect(await page.getByTestId('threshold-validation-escapes').textContent()).toMatch(/^\d of 2$/);
    expect(await validationBarPixels()).toBeGreaterThan(20);
    await shot('13c-threshold-applied');
  });

  it('shows the runtime, users and the audit log under settings', async () => {
    await go('settings');
    // Results to the line's MQTT broker: off until a supervisor sets one.
    await expect.poll(() => page.getByTestId('mqtt-status').textContent()).toMatch(/^Off/);
    expect(await page.getByTestId('runtime-info').textContent()).toMatch(/onnxruntime-node/);
    // The provider in use, and why a better one is not (this CI has no CUDA provider installed).
    expect(await page.getByTestId('execution-provider').textContent()).toMatch(/onnxruntime on (cpu|cuda|dml|coreml|webgpu)/);
    await page.getByTestId('audit-row').first().waitFor();
    const audit = await page.getByTestId('audit-table').textContent();
    expect(audit).toMatch(/setup\.first-supervisor/);
    expect(audit).toMatch(/auth\.refused/);
    expect(audit).toMatch(/model\.promote/);
    // Details read as words, not JSON.
    expect(audit).toMatch(/preset: fast/);
    expect(audit).not.toContain('{"');
    await expect.poll(() => page.getByTestId('settings-station-name-hint').textContent()).toMatch(/this computer's name; change it/);
    await shot('14-settings-audit');
    await noErrorBanner();
  });

  it('keeps the chosen operator across a reload of the page', async () => {
    await go('settings');
    await page.getByTestId('new-user-name').fill('olga');
    await page.getByTestId('new-user-role').selectOption('operator');
    await page.getByTestId('create-user').click();
    await page.locator('[data-testid="user-row"][data-user="olga"]').waitFor();
    // A refusal is said beside the form that was sent, at the bottom of its panel, not at the top of the screen.
    await page.getByTestId('new-user-name').fill('olga');
    await page.getByTestId('create-user').click();
    const refusal = page.getByTestId('people-panel').getByTestId('error-banner');
    await expect.poll(() => refusal.textContent()).toMatch(/exists already/);
    expect(await page.getByTestId('error-banner').count()).toBe(1);
    const [said, pressed] = [await refusal.boundingBox(), await page.getByTestId('create-user').boundingBox()];
    expect(said && pressed && said.y > pressed.y && said.y - (pressed.y + pressed.height) < 100, JSON.stringify([said, pressed])).toBe(
      true,
    );
    await shot('15-refusal-in-place');
    await page.getByTestId('new-user-name').fill('');
    await page.getByTestId('operator-select').selectOption('olga');
    await expect.poll(() => page.getByTestId('header-operator').textContent()).toBe('olga');
    await page.reload();
    await expect.poll(() => page.getByTestId('header-operator').textContent(), { timeout: 20_000 }).toBe('olga');
  });

  it("answers the PLC: OPC UA set up in Settings, a trigger takes its picture with the open Inspect screen's camera", async () => {
    await go('settings');
    if ((await page.getByTestId('session-supervisor').count()) === 0) {
      await page.getByTestId('unlock-name').fill(SUPERVISOR.name);
      await page.getByTestId('unlock-pin').fill(SUPERVISOR.pin);
      await page.getByTestId('unlock-button').click();
      await page.getByTestId('session-supervisor').waitFor();
    }
    const panel = page.getByTestId('opcua-panel');
    await expect.poll(() => panel.getByTestId('opcua-status').textContent()).toMatch(/^Off/);
    const port = await freePort();
    await panel.getByTestId('opcua-password').fill('line-4-secret');
    await panel.getByTestId('opcua-password-save').click();
    await expect.poll(() => panel.textContent()).toMatch(/PLC password \(set/);
    await panel.getByTestId('opcua-port').fill(String(port));
    await panel.getByTestId('opcua-user').fill('plc');
    await panel.getByTestId('opcua-security').selectOption('none');
    await panel.getByTestId('opcua-enabled').check();
    await panel.getByTestId('opcua-save').click();
    await expect
      .poll(() => panel.getByTestId('opcua-status').textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`^Listening at opc\\.tcp://.+:${port}`));
    await expect.poll(() => panel.getByTestId('opcua-handshake').textContent()).toMatch(/Not ready · no product selected/);

    await go('inspect');
    await page.getByTestId('source-camera').click();
    await page.getByTestId('answer-line-triggers').check();
    await expect
      .poll(() => page.getByTestId('line-trigger-state').textContent(), { timeout: 30_000 })
      .toMatch(/take their pictures here \(0 so far\)/);

    const plc = await connectPlc({ port, user: 'plc', password: 'line-4-secret' });
    try {
      expect(await plc.call('SelectProduct', [{ dataType: DataType.String, value: 'product_00' }])).toBe(0);
      await expect.poll(async () => (await plc.read('Ready')).Ready).toBe(true);
      const before = await latestResult();
      expect(await plc.call('Trigger')).toBe(0);
      await expect.poll(async () => (await plc.read('ResultReady')).ResultReady, { timeout: 60_000 }).toBe(true);
      // The fake camera shows the part with a missing piece: NG, recorded as a camera result and shown here.
      expect(await plc.read('Fail', 'Error', 'VerdictCounter')).toEqual({ Fail: true, Error: false, VerdictCounter: 1 });
      await expect.poll(latestResult).toMatchObject({ source: 'camera', product: 'product_00', verdict: 'fail' });
      expect(await latestResult()).not.toEqual(before);
      await expect.poll(() => page.getByTestId('line-trigger-state').textContent()).toMatch(/\(1 so far\)/);
      await expect.poll(() => page.getByTestId('verdict').getAttribute('data-verdict')).toBe('fail');
      await shot('16-plc-trigger');
      expect(await plc.call('ResultAck')).toBe(0);
    } finally {
      await plc.close();
    }
    await go('settings');
    await expect
      .poll(() => page.getByTestId('opcua-handshake').textContent())
      // Away from the Inspect screen its camera no longer answers: the PLC reads Ready false, and why.
      .toMatch(/^Not ready · product product_00 · 1 trigger · trigger to result p50 \d+ ms.* · No Inspect screen answers line triggers/);
    await shot('17-settings-opcua');
    await noErrorBanner();
  });
});
