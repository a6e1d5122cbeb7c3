/**
 * A channel variable's value as an Originate `Variable:` header must carry it. Asterisk splits the header
 * with AST_STANDARD_APP_ARGS (main/manager.c man_do_variable_value), whose parser (main/app.c
 * __ast_app_separate_args, remove_chars = 1) ends a value at a comma, drops double quotes, and takes the
 * character after a backslash literally (removing the backslash). So backslash, comma and double quote
 * are escaped with a backslash and every value arrives as written. Parentheses and brackets only matter
 * to where a comma splits, and no comma is left unescaped.
 */
export function escapeVariableValue(value: string): string {
  return value.replace(/[\\,"]/g, '\\$&');
}
