/**
 * A copy of `value` that does not keep the text it was cut from alive. V8 represents a substring
 * of 13 or more characters (a regex match, a `slice`) as a view into its parent string, so one
 * identifier kept in a repository-wide map holds its whole source file in memory: on a 4,000-file
 * corpus the code index kept ~50 MB of file texts alive through a few thousand such keys. Keep
 * values that outlive the file they came from through this.
 */
export function ownString(value: string): string {
  // Concatenating then slicing makes V8 flatten into a new string of this value's own length.
  return value.length < 13 ? value : ` ${value}`.slice(1);
}
