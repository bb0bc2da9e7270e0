/**
 * `mergeDoneChecks` for a detector whose done check is one program followed by the arguments of
 * one place (`python3 -c PROGRAM file line callee`), where the program takes any number of such
 * argument groups: the program once, every check's arguments after it. Undefined when a check is
 * not of that form.
 */
export function programWithArguments(prefix: string): (checks: readonly string[]) => string | undefined {
  return (checks) =>
    checks.every((check) => check.startsWith(prefix))
      ? `${prefix}${checks.map((check) => check.slice(prefix.length)).join(' ')}`
      : undefined;
}
