import type { FeedbackReadBackInput, ReadBackVerdict } from "../../modules/channel/types/provider"

const compact = (t: string) => t.replace(/[\s-]+/g, "").toLowerCase()

/** Sandbox: its status. */
export function readBackSandboxOrder(o: Record<string, any>, input: FeedbackReadBackInput): ReadBackVerdict {
  const status = String(o.status ?? "")
  return (input.kind === "cancel" ? status === "canceled" : status === "shipped") ? "confirmed" : "missing"
}
