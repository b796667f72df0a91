/**
 * The console build (scripts/console-build.ts) fails on Rollup's circular-chunk warning, which
 * manualChunks in console/vite.config.ts once caused (antd-rc ⇄ antd-base), and lets other
 * warnings through.
 */
import { describe, expect, it } from 'vitest';
import { warningsThatFailTheBuild } from '../../scripts/console-build.js';

describe('console build warnings', () => {
  it('fails on a circular chunk, coloured or not', () => {
    const warning = 'Circular chunk: antd-rc -> antd-base -> antd-rc. Please adjust the manual chunk logic for these chunks.';
    expect(warningsThatFailTheBuild(`Building\n\u001b[33m${warning}\u001b[39m\n`)).toEqual([warning]);
  });

  it('lets a warning about a library’s comment annotation through', () => {
    const output = [
      'node_modules/zod/v4/core/util.js (400:0): A comment',
      'in "node_modules/zod/v4/core/util.js" contains an annotation that Rollup cannot interpret due to the position of the comment. The comment will be removed to avoid issues.',
    ].join('\n');
    expect(warningsThatFailTheBuild(output)).toEqual([]);
  });
});
