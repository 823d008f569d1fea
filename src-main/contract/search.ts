import { z } from 'zod';

/**
 * A control character no one types into a search box (tabs and line ends aside), or undefined.
 * NUL in particular ends a string inside SQLite's full-text query parser.
 */
function controlCharacter(text: string): number | undefined {
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if ((code < 0x20 && char !== '\t' && char !== '\n' && char !== '\r') || code === 0x7f) {
      return code;
    }
  }
  return undefined;
}

/** Words to search for, as typed: up to `max` characters, no control characters. */
export function searchTextSchema(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .superRefine((text, context) => {
      const found = controlCharacter(text);
      if (found === undefined) return;
      const code = found.toString(16).toUpperCase().padStart(4, '0');
      context.addIssue({
        code: z.ZodIssueCode.custom,
        message: `contains a control character (U+${code}); search for words and numbers only`,
      });
    });
}
