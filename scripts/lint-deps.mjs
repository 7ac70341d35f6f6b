/**
 * `npm run lint:deps`: dependency-cruiser with the rules of .dependency-cruiser.cjs, on src/ and sim/.
 *
 * Runs the cruise through dependency-cruiser's API: its `depcruise` command refuses Node versions before 22,
 * and this project supports Node ≥ 20.19. Same rules, same report (`err`: violations only, or the output type
 * given as the first argument, e.g. `npm run lint:deps -- text`), and the exit code is the number of errors.
 */
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const tsConfig = extractTSConfig(options.tsConfig.fileName);
const result = await cruise(['src', 'sim'], { ...options, outputType: process.argv[2] ?? 'err' }, {}, { tsConfig });
process.stdout.write(typeof result.output === 'string' ? result.output : JSON.stringify(result.output));
process.exitCode = result.exitCode;
