import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureSeaweedFs, SEAWEEDFS_MODULE, SEAWEEDFS_VERSION } from '../../../platform/tools.js';

/** What ensureSeaweedFs decides without building (the build itself runs in `npm test`'s preparation). */
describe('ensureSeaweedFs', () => {
  const saved = { path: process.env.PATH, override: process.env.SEAWEEDFS_PATH };
  const dirs: string[] = [];
  const toolsDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-tools-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    process.env.PATH = saved.path;
    if (saved.override === undefined) delete process.env.SEAWEEDFS_PATH;
    else process.env.SEAWEEDFS_PATH = saved.override;
    dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });

  it('answers the binary built before, at once and silently, when its stamp names the pinned version', async () => {
    delete process.env.SEAWEEDFS_PATH;
    const dir = toolsDir();
    fs.mkdirSync(path.join(dir, 'seaweedfs'));
    fs.writeFileSync(path.join(dir, 'seaweedfs', 'weed'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'seaweedfs', 'version.txt'), `${SEAWEEDFS_MODULE}@${SEAWEEDFS_VERSION}\n`);
    const lines: string[] = [];
    expect(await ensureSeaweedFs((m) => lines.push(m), dir)).toBe(path.join(dir, 'seaweedfs', 'weed'));
    expect(lines).toEqual([]);
  });

  it('takes SEAWEEDFS_PATH as it is', async () => {
    process.env.SEAWEEDFS_PATH = '/opt/seaweedfs/weed';
    expect(await ensureSeaweedFs(() => {}, toolsDir())).toBe('/opt/seaweedfs/weed');
  });

  it('rebuilds over a binary of another version, and without Go says that Go is what is missing', async () => {
    delete process.env.SEAWEEDFS_PATH;
    const dir = toolsDir();
    fs.mkdirSync(path.join(dir, 'seaweedfs'));
    fs.writeFileSync(path.join(dir, 'seaweedfs', 'weed'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'seaweedfs', 'version.txt'), `${SEAWEEDFS_MODULE}@v0.0.0-older\n`);
    process.env.PATH = toolsDir(); // an empty folder: no `go`
    const lines: string[] = [];
    await expect(ensureSeaweedFs((m) => lines.push(m), dir)).rejects.toThrow(/go mod download .* failed \(is Go >= 1\.26\.6 installed\?/);
    expect(lines[0]).toMatch(/^Building SeaweedFS .* several minutes, once per machine/);
  });
});
