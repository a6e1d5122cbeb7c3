/**
 * A sound the PBX plays (Playback's file argument): names under Asterisk's sounds folder, without extension
 * (Asterisk picks the format), several joined by `&`. Letters, digits, `_` and `-` in `/`-separated parts only:
 * no absolute path, no `..`, and none of the `,`, `(`, `)` or `|` that would end the argument and start options
 * or another application's data.
 */
const SOUND_FILES = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*(?:&[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*)*$/;

/** Why `value` is not a sound the PBX may be told to play, or null. */
export function soundFilesProblem(value: string): string | null {
  return SOUND_FILES.test(value)
    ? null
    : 'must name sound files under the PBX\'s sounds folder without extension, several joined by "&" (e.g. custom/offer&vm-goodbye): letters, digits, "_", "-" and "/" only';
}
