import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { mistypedCommand } from '../../cli/mistyped-command.js';
import { registerCommands } from '../../cli/register-commands.js';
import { createProgram } from '../../cli/program.js';
import { SCENARIOS } from '../../scenarios/registry.js';

function program(): Command {
  const p = createProgram();
  registerCommands(p);
  return p;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** The options a command parses from ARGS, its action replaced so nothing runs. */
async function parsedOptions(name: string, args: string[]): Promise<Record<string, unknown>> {
  const p = program();
  const command = p.commands.find((c) => c.name() === name)!;
  command.action(() => {});
  await p.parseAsync(['node', 'cachebench', name, ...args]);
  return command.opts();
}

describe('a short option means the same in every command', () => {
  it('each short flag stands for one long option across all commands', () => {
    const meanings = new Map<string, Set<string>>();
    for (const command of allCommands(program())) {
      for (const option of command.options) {
        if (option.short === undefined || option.long === undefined) continue;
        meanings.set(option.short, (meanings.get(option.short) ?? new Set()).add(option.long));
      }
    }
    const conflicting = [...meanings]
      .filter(([, longs]) => longs.size > 1)
      .map(([short, longs]) => `${short}: ${[...longs].join(', ')}`);
    expect(conflicting).toEqual([]);
    expect([...meanings.get('-b')!]).toEqual(['--backends']);
    expect([...meanings.get('-r')!]).toEqual(['--rate']);
  });

  it('-b is a list in run and in sweep; sweep keeps --backend NAME', async () => {
    expect((await parsedOptions('run', ['-b', 'sqlite,memory'])).backends).toBe('sqlite,memory');
    expect((await parsedOptions('sweep', ['-b', 'sqlite,filebased'])).backends).toBe('sqlite,filebased');
    expect((await parsedOptions('sweep', ['--backend', 'fanout'])).backend).toBe('fanout');
    expect((await parsedOptions('sweep', ['--repeat', '3'])).repeat).toBe(3);
    expect((await parsedOptions('run', ['-r', '500'])).rate).toBe(500);
  });

  it('sweep -r is refused with the spelling to use', async () => {
    const p = program().configureOutput({ writeErr: () => {} });
    const sweep = p.commands.find((c) => c.name() === 'sweep')!;
    sweep.action(() => {});
    await expect(p.parseAsync(['node', 'cachebench', 'sweep', '-r', '3'])).rejects.toThrow(
      /-r means --rate .* --repeat N/,
    );
  });
});

describe('a mistyped command', () => {
  const scenarios = [...SCENARIOS.keys()];
  it.each([
    [['reprot', 'a.json'], 'report'],
    [['swep', '--quick'], 'sweep'],
    [['comapre', 'a', 'b'], 'compare'],
    [['scenario'], 'scenarios'],
  ])('%j suggests %s', (args, suggestion) => {
    expect(mistypedCommand(program(), args, scenarios)).toBe(
      `error: unknown command '${args[0]}'; did you mean '${suggestion}'? (run "cachebench --help" for the commands)`,
    );
  });

  it.each([
    [['talk']],
    [['ycsb-a', '-p', '1']],
    [['report', 'a.json']],
    [['./my-scenario.json']],
    [['--quiet']],
    [[]],
    [['zzzzzz']],
  ])('%j is left to the commands', (args) => {
    expect(mistypedCommand(program(), args, scenarios)).toBeUndefined();
  });
});
