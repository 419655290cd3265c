export const TAG_MAX_LENGTH = 64

/** Tags are trimmed, compared without case, and limited in length. */
export function normalizeTag(value: string): { value: string; normalized: string } | null {
  const trimmed = value.trim().replace(/\s+/g, " ")
  if (!trimmed || trimmed.length > TAG_MAX_LENGTH) return null
  return { value: trimmed, normalized: trimmed.toLocaleLowerCase() }
}
