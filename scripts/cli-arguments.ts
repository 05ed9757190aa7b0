// The arguments of an operations command: exactly what its usage says, or its usage and exit code 2
// before it touches anything. Given two addresses, vendor:unlock acted on the first alone; `--help`
// was taken for an address, or ignored while the command ran (review r34g F4, r34h L4).

/** The command's arguments when `accepts` them; `--help` prints `usage` and exits 0, anything else unaccepted exits 2. */
export function argumentsOr(usage: string, accepts: (args: string[]) => boolean): string[] {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  if (!accepts(args)) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return args;
}

/** No arguments at all. */
export const none = (args: string[]) => args.length === 0;

/** A value that is not a flag. */
export const isValue = (arg: string | undefined): arg is string => arg !== undefined && arg !== '' && !arg.startsWith('-');

/** Each problem on its own line of stderr, named for the command, then exit code 1; nothing when there are none. */
export function exitIfProblems(command: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  for (const problem of problems) console.error(`${command}: ${problem}`);
  process.exit(1);
}
