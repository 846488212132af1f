import { readRepoFile } from './support/template';

describe('sharp layer', () => {
  it('pins the sharp version that the root lockfile installs for the resize function', () => {
    // Prepare
    const rootLock = JSON.parse(readRepoFile('package-lock.json'));
    const layerManifest = JSON.parse(readRepoFile('layers/sharp/package.json'));

    // Act
    const tested = rootLock.packages['node_modules/sharp'].version as string;
    const pinned = layerManifest.dependencies.sharp as string;

    // Assess
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pinned).toBe(tested);
  });

  it('locks the linux-arm64 binaries of the same sharp release', () => {
    // Prepare
    const layerLock = JSON.parse(readRepoFile('layers/sharp/package-lock.json'));
    const pinned = JSON.parse(readRepoFile('layers/sharp/package.json')).dependencies.sharp as string;

    // Act
    const binary = layerLock.packages['node_modules/@img/sharp-linux-arm64'];
    const libvips = layerLock.packages['node_modules/@img/sharp-libvips-linux-arm64'];

    // Assess
    expect(layerLock.packages['node_modules/sharp'].version).toBe(pinned);
    expect(binary).toMatchObject({ version: pinned, os: ['linux'], cpu: ['arm64'], libc: ['glibc'] });
    expect(binary.integrity).toMatch(/^sha512-/);
    expect(libvips.integrity).toMatch(/^sha512-/);
  });

  it('builds for linux arm64 glibc from the lockfile and checks the binary is there', () => {
    // Prepare
    const makefile = readRepoFile('layers/sharp/Makefile');

    // Act
    const recipe = makefile.split('build-SharpLayer:')[1] ?? '';

    // Assess
    expect(recipe).toMatch(/npm ci .*--os=linux --cpu=arm64 --libc=glibc/);
    expect(recipe).toContain('$(ARTIFACTS_DIR)/nodejs');
    expect(makefile).toContain('@img/sharp-linux-arm64/lib/sharp-linux-arm64.node');
  });
});
