/** AST_STANDARD_APP_ARGS keeps at most this many arguments (man_do_variable_value's `vars[64]`); the last takes the rest. */
const MAX_ARGUMENTS = 64;

/**
 * Splits `text` at commas as main/app.c __ast_app_separate_args does with remove_chars set (AST_STANDARD_APP_ARGS):
 * commas inside parentheses, brackets or double quotes do not split, double quotes are dropped, and a backslash
 * is dropped while the character after it is taken literally (so `\,` is a comma inside a value).
 */
export function separateArguments(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let paren = 0;
  let bracket = 0;
  let quote = false;
  /** Whether an argument has begun (C starts one at every character the loop reaches) or a comma just ended one. */
  let open = false;
  let afterComma = false;
  let index = 0;
  for (; index < text.length && args.length < MAX_ARGUMENTS - 1; index += 1) {
    const char = text[index] ?? '';
    open = true;
    afterComma = false;
    if (char === '(') paren += 1;
    else if (char === ')') paren = Math.max(0, paren - 1);
    else if (char === '[') bracket += 1;
    else if (char === ']') bracket = Math.max(0, bracket - 1);
    else if (char === '"') {
      quote = !quote;
      continue;
    } else if (char === '\\') {
      index += 1;
      current += text[index] ?? '';
      continue;
    } else if (char === ',' && paren === 0 && bracket === 0 && !quote) {
      args.push(current);
      current = '';
      open = false;
      afterComma = true;
      continue;
    }
    current += char;
  }
  // The argument being read (also an empty one after a trailing comma); past the limit, the unparsed rest as is.
  if (open || afterComma || index < text.length) args.push(current + text.slice(index));
  return args;
}

/**
 * An Originate `Variable` header into name and value pairs, as main/manager.c man_do_variable_value reads it:
 * leading blanks skipped, split by separateArguments, each item cut at its first `=`; items with no `=` or no
 * name are skipped.
 */
export function originateVariables(header: string): [string, string][] {
  return separateArguments(header.trimStart()).flatMap((item) => {
    const equals = item.indexOf('=');
    if (equals <= 0) return [];
    return [[item.slice(0, equals), item.slice(equals + 1)] as [string, string]];
  });
}
