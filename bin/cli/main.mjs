// main.mjs: the command line's dispatcher (bin/gradlab.mjs runs it). Every command uses only the public API of
// web/lib/gradlab.js. Exit codes: 0 done, 1 the engine refused something, 2 a bad command or flag,
// 3 the training diverged (the output so far is still printed).
import { GradlabError } from '../../web/lib/gradlab.js';
import { UsageError, helpText, parseFlags } from './flags.mjs';
import * as train from './train.mjs';
import * as depth from './depth.mjs';
import * as race from './race.mjs';
import * as lesson from './lesson.mjs';
import * as landscape from './landscape.mjs';
import * as sharpness from './sharpness.mjs';
import * as lrFind from './lr-find.mjs';
import * as pytorch from './pytorch.mjs';

import * as exportRun from './export.mjs';

const COMMANDS = { train, depth, race, lesson, landscape, sharpness, 'lr-find': lrFind, export: exportRun, pytorch };

const SUMMARIES = {
  train: 'train a network on a toy data set; print its loss curve (text, --json, --csv)',
  depth: 'forward normal inputs through a deep stack; per-layer activation statistics and histograms',
  race: 'race optimisers on a 2-D surface (rosenbrock, beale, ...); final points, losses, paths as --csv',
  lesson: 'run a lesson of the page headless: its curves, final losses, layer statistics and explanation',
  landscape: 'train a network, then print its loss on a plane through the weights (random or trajectory directions)',
  sharpness: 'train a network, measuring the largest Hessian eigenvalue every few steps beside 2/lr',
  'lr-find': 'the learning-rate range test from the current weights: loss against rate, two suggestions',
  export: 'print a saved run\'s curves, layer statistics or weights as CSV or JSON, or zip the whole run',
  pytorch: 'write the run gradlab train would do as a self-contained PyTorch script (same weights, data, batches)',
};

function mainHelp() {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  return `usage: gradlab <command> [flags]

gradlab trains small neural networks with a C engine compiled to WebAssembly.

commands:
${Object.keys(COMMANDS).map((c) => `  ${c.padEnd(width)}${SUMMARIES[c]}`).join('\n')}

gradlab <command> --help lists the flags of a command.
`;
}

/** Runs one command line; io = { stdout, stderr, lab: () => Promise<Lab> }. Resolves to the exit code. */
export async function main(argv, io) {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(mainHelp());
    return command === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[command];
  try {
    if (!cmd) throw new UsageError(`'${command}' is not a command; allowed: ${Object.keys(COMMANDS).join(', ')}`);
    // a command with a positional argument (gradlab lesson NAME) takes it first, before the flags
    const named = cmd.positional && rest.length && !rest[0].startsWith('-') ? [rest[0]] : [];
    const values = { ...parseFlags(rest.slice(named.length), cmd.flags, command), _: named };
    if (values.help) {
      io.stdout.write(helpText(command, cmd.usage, cmd.summary, cmd.flags, cmd.notes));
      return 0;
    }
    return await cmd.run(values, io);
  } catch (error) {
    const prefix = cmd ? `gradlab ${command}` : 'gradlab';
    if (error instanceof UsageError) {
      io.stderr.write(`${prefix}: ${error.message}\n${cmd ? `(gradlab ${command} --help lists the flags)` : '(gradlab --help lists the commands)'}\n`);
      return 2;
    }
    if (error instanceof GradlabError) {
      io.stderr.write(`${prefix}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

