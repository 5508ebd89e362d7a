import { Command } from 'commander';
import { register as registerBaseline } from '../../cli/commands/baseline.js';
import { register as registerCompare } from '../../cli/commands/compare.js';
import type { CommandIo } from '../../compare/command-support.js';

/** Runs `cachebench <args>` through commander with captured output and exit code. */
export async function cli(...args: string[]): Promise<{ code: number | undefined; stdout: string; stderr: string }> {
  const result = { code: undefined as number | undefined, stdout: '', stderr: '' };
  const io: CommandIo = {
    stdout: (text) => void (result.stdout += text),
    stderr: (text) => void (result.stderr += text),
    setExitCode: (code) => void (result.code = code),
    exit: (code) => {
      result.code = code;
      throw new Error(`exit ${code}`); // stops commander as process.exit would
    },
  };
  const program = new Command('cachebench').configureOutput({
    writeErr: (text) => io.stderr(text),
    writeOut: (text) => io.stdout(text),
  });
  registerCompare(program, io);
  registerBaseline(program, io);
  await program.parseAsync(['node', 'cachebench', ...args]).catch((error: Error) => {
    if (!error.message.startsWith('exit ')) throw error;
  });
  return result;
}
