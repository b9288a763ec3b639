import type { Command } from 'commander';
import { formatProblem, ScenarioError } from '../sim/scenario/problems.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import { EXIT_BAD_INPUT } from './exit.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check scenario files; one line per problem (file, line:column, path, expected, found); exit 2 if any')
    .argument('<files...>', 'scenario YAML files, or NAMEs of files in scenarios/')
    .action((files: string[]) => {
      let failed = 0;
      for (const file of files) {
        try {
          const loaded = loadScenario(file);
          process.stdout.write(`${loaded.file}: ok\n`);
        } catch (error) {
          if (!(error instanceof ScenarioError)) throw error;
          failed++;
          for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
        }
      }
      if (failed > 0) process.exit(EXIT_BAD_INPUT);
    });
}
