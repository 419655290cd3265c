/** The text to show for a failed request: the API's message when it sent one. */
export function errorMessage(e: unknown, fallback = "Something went wrong"): string {
  if (!e) return fallback
  if (typeof e === "string") return e
  const anyE = e as { message?: unknown; status?: number }
  const message = typeof anyE.message === "string" && anyE.message.trim() ? anyE.message : fallback
  return message
}

export function errorStatus(e: unknown): number | undefined {
  return (e as { status?: number } | null)?.status
}
