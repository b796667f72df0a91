/**
 * The console's Ant Design theme (console/src/app/providers.tsx): every colour that a solid button
 * fills with white text — at rest, hovered and pressed, primary and danger — and every link colour on
 * white keep WCAG AA's 4.5:1.
 * antd derives hover as a lighter shade of the seed, which falls under it (#417dcc is 4.2:1).
 */
import { describe, expect, it } from 'vitest';
import { theme } from 'antd';
import { THEME } from '../../console/src/app/providers.js';

function contrastWithWhite(hex: string): number {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(m[1]!.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return 1.05 / (l + 0.05);
}

describe('console theme', () => {
  const token = theme.getDesignToken(THEME);

  it.each(['colorPrimary', 'colorPrimaryHover', 'colorPrimaryActive', 'colorError', 'colorErrorHover', 'colorErrorActive'] as const)(
    'keeps white text on %s at AA contrast',
    (name) => {
      expect(contrastWithWhite(token[name]), `${name} ${token[name]}`).toBeGreaterThanOrEqual(4.5);
    },
  );

  // Contrast is symmetric: a link's colour on a white page has the same ratio as white text on it.
  it.each(['colorLink', 'colorLinkHover', 'colorLinkActive'] as const)('keeps a %s link on white at AA contrast', (name) => {
    expect(contrastWithWhite(token[name]), `${name} ${token[name]}`).toBeGreaterThanOrEqual(4.5);
  });

  it('uses white for the text of solid primary and danger buttons', () => {
    expect(token.colorTextLightSolid.toLowerCase()).toBe('#fff');
  });
});
