/**
 * Asterisk's own argument splitter, __ast_app_separate_args (main/app.c) with remove_chars = 1, ported line
 * for line: what AST_STANDARD_APP_ARGS makes of an Originate Variable header (main/manager.c
 * man_do_variable_value), so tests can check what the channel really gets.
 */
export function separateArgs(buffer: string, delimiter = ','): string[] {
  const chars = [...buffer];
  const args: string[] = [];
  let scan = 0;
  let paren = 0;
  let quote = false;
  let bracket = 0;
  let endedAtDelimiter = false;
  while (scan < chars.length) {
    let current = '';
    endedAtDelimiter = false;
    for (; scan < chars.length; scan++) {
      const char = chars[scan];
      if (char === '(') paren++;
      else if (char === ')') paren = Math.max(0, paren - 1);
      else if (char === '[') bracket++;
      else if (char === ']') bracket = Math.max(0, bracket - 1);
      else if (char === '"') {
        quote = !quote;
        continue;
      } else if (char === '\\') {
        scan++;
        current += chars[scan] ?? '';
        continue;
      } else if (char === delimiter && paren === 0 && !quote && bracket === 0) {
        scan++;
        endedAtDelimiter = true;
        break;
      }
      current += char;
    }
    args.push(current);
  }
  if (endedAtDelimiter) args.push('');
  return args;
}

/** The variables one `Variable:` header sets, as man_do_variable_value reads it. */
export function variablesOfHeader(value: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const item of separateArgs(value.trimStart())) {
    const equals = item.indexOf('=');
    if (equals > 0) variables[item.slice(0, equals)] = item.slice(equals + 1);
  }
  return variables;
}
