/**
 * Signing in, as a new user meets it (issue 13, problem 2): the form checks itself in the browser
 * with the server's own rules before anything is sent, in the user's language, per field, and an
 * error goes as soon as the field is filled; a wrong password says so once. Screenshots:
 * /tmp/login-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityProblems, browserStack, openPage } from '../support/browser.js';

describe('login (browser)', () => {
  const env = browserStack({ seed: true });

  async function loginPage(viewport = { width: 1280, height: 800 }): Promise<{ page: Page; requests: string[]; close: () => Promise<void> }> {
    const { page, close } = await openPage(env.browser, { viewport });
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/auth/login')) requests.push(r.method());
    });
    await page.goto(`${env.stack.baseUrl}/`);
    await page.locator('input[name="username"]').waitFor();
    return { page, requests, close };
  }

  it('checks the fields before sending, in the user’s language, and clears an error as soon as it is fixed', async () => {
    const { page, requests, close } = await loginPage();
    expect(await accessibilityProblems(page, 'login')).toEqual([]);

    await page.locator('button[type="submit"]').click();
    const userError = page.locator('[data-testid="error-username"]');
    const passError = page.locator('[data-testid="error-password"]');
    await userError.waitFor();
    // The server's rule and code (REQUIRED), in Chinese, under each field; nothing was sent.
    expect(await userError.getAttribute('data-error')).toBe('REQUIRED');
    expect(await userError.textContent()).toBe('必填');
    expect(await passError.textContent()).toBe('必填');
    expect(requests).toEqual([]);
    await page.screenshot({ path: '/tmp/login-required-zh.png' });

    // The same errors in English after a switch, without sending anything.
    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => userError.textContent()).toBe('Required');
    expect(await passError.textContent()).toBe('Required');
    await page.screenshot({ path: '/tmp/login-required-en.png' });

    // Typing fixes the field at once: its error goes while the other stays.
    await page.locator('input[name="username"]').fill('agent.project');
    await userError.waitFor({ state: 'detached' });
    expect(await passError.textContent()).toBe('Required');
    expect(requests).toEqual([]);
    await close();
  });

  it('says a wrong password once, empties the password and keeps the user name', async () => {
    const { page, requests, close } = await loginPage();
    await page.locator('input[name="username"]').fill('agent.project');
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.locator('button[type="submit"]').click();
    const problem = page.locator('[data-testid="problem"]');
    await problem.waitFor();
    expect(requests).toEqual(['POST']);
    expect(await problem.getAttribute('data-code')).toBe('INVALID_CREDENTIALS');
    // Once: the alert, and nowhere else on the page.
    const text = (await page.locator('body').innerText()).split('用户名或密码错误').length - 1;
    expect(text).toBe(1);
    expect(await page.locator('input[name="password"]').inputValue()).toBe('');
    expect(await page.locator('input[name="username"]').inputValue()).toBe('agent.project');
    await page.screenshot({ path: '/tmp/login-wrong-password.png' });

    // The right password signs in.
    await page.locator('input[name="password"]').fill('demo');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="current-role"]').waitFor();
    await close();
  });

  /** The contrast of the element's text on its own background (WCAG 2 relative luminance), from computed styles. */
  function contrastOf(page: Page, selector: string): Promise<{ ratio: number; background: string; color: string }> {
    return page.locator(selector).evaluate((el) => {
      const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const lum = (css: string) => {
        const [r, g, b] = rgb(css).map((v) => {
          const c = v / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const style = getComputedStyle(el);
      const [a, b] = [lum(style.backgroundColor), lum(style.color)].sort((x, y) => y - x);
      return { ratio: (a! + 0.05) / (b! + 0.05), background: style.backgroundColor, color: style.color };
    });
  }

  it('keeps a primary button’s white text at AA contrast (4.5:1) while hovered and while pressed', async () => {
    const { page, close } = await loginPage();
    const button = 'button[type="submit"].ant-btn-primary';
    const resting = await contrastOf(page, button);
    await page.locator(button).hover();
    // The hover colour is in place (no transition: the browser asks for reduced motion).
    await expect.poll(async () => (await contrastOf(page, button)).background).not.toBe(resting.background);
    const hovered = await contrastOf(page, button);
    expect(hovered.ratio, `hovered ${hovered.background} / ${hovered.color}`).toBeGreaterThanOrEqual(4.5);
    // axe's colour-contrast rule sees the hovered button as it is drawn.
    expect(await accessibilityProblems(page, 'login, primary button hovered')).toEqual([]);
    await page.screenshot({ path: '/tmp/polish-primary-hover.png' });

    await page.mouse.down();
    await expect.poll(async () => (await contrastOf(page, button)).background).not.toBe(hovered.background);
    const pressed = await contrastOf(page, button);
    expect(pressed.ratio, `pressed ${pressed.background} / ${pressed.color}`).toBeGreaterThanOrEqual(4.5);
    // Let go away from the button, so nothing is submitted.
    await page.mouse.move(5, 5);
    await page.mouse.up();
    await close();
  });

  it('shows an API problem as an alert in the user’s language, with its field errors and a retry that asks again', async () => {
    const { page, close } = await loginPage();
    // The customer list's first answer is a problem with a field error; the retry reaches the API.
    let failures = 0;
    await page.route(
      (url) => url.pathname === '/api/customers',
      async (route) => {
        if (failures++ > 0) return route.continue();
        await route.fulfill({
          status: 400,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            type: 'about:blank',
            title: 'Request validation failed',
            status: 400,
            code: 'VALIDATION_FAILED',
            errors: [{ path: 'phone', code: 'PHONE_AREA_CODE_MISSING', message: 'Add the area code' }],
          }),
        });
      },
    );
    await page.locator('input[name="username"]').fill('handler.project');
    await page.locator('input[name="password"]').fill('demo');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="current-role"]').waitFor();
    await page.goto(`${env.stack.baseUrl}/customers`);
    const problem = page.locator('[data-testid="problem"]');
    await problem.waitFor();
    // Ant Design's alert, announced at once.
    expect(await problem.getAttribute('role')).toBe('alert');
    expect(await problem.getAttribute('class')).toContain('ant-alert-error');
    expect(await problem.getAttribute('data-code')).toBe('VALIDATION_FAILED');
    expect(await problem.locator('.ant-alert-title').innerText()).toBe('请求参数校验失败');
    expect(await problem.locator('.alert-list li').innerText()).toBe('phone 固定电话请加上区号，如 0571-88886666');
    expect(await accessibilityProblems(page, 'problem alert')).toEqual([]);
    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => problem.locator('.ant-alert-title').innerText()).toBe('Request validation failed');
    expect(await problem.locator('.alert-list li').innerText()).toBe('phone Add the area code to a landline number, such as 0571-88886666');
    await page.screenshot({ path: '/tmp/polish-problem-alert.png' });
    // Retry asks again: the alert goes and the list comes.
    await problem.locator('[data-testid="problem-retry"]').click();
    await problem.waitFor({ state: 'detached' });
    expect(failures).toBe(2);
    await close();
  });

  it('fits a phone', async () => {
    const { page, close } = await loginPage({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(page, 'login phone')).toEqual([]);
    await page.screenshot({ path: '/tmp/login-phone.png', fullPage: true });
    await close();
  });
});
