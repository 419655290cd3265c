import { AsyncLocalStorage } from "node:async_hooks"

/**
 * One failed marketplace call attempt as a run records it: a retry the client absorbed as much as
 * the failure that ended the call. `operation` is the rate-limit bucket when the call names one,
 * else its method and path (never its query, which may carry a token).
 */
export type CallError = {
  at: string
  code: string
  message: string
  operation: string
  retryable: boolean
  status?: number
  /** 1-based attempt of the call this failure ended. */
  attempt?: number
}

/** The most failed calls a run keeps; later ones are counted in `errors_dropped`. */
export const MAX_RUN_ERRORS = 50

const sinks = new AsyncLocalStorage<(e: CallError) => void>()

/**
 * Runs `fn` with every failed marketplace call made inside it (however deep, across awaits) handed
 * to `sink`. The shared HTTP client reports to the innermost sink; outside one it reports nowhere.
 * A sink that throws is ignored: recording never fails a call.
 */
export function recordCallErrors<T>(sink: (e: CallError) => void, fn: () => Promise<T>): Promise<T> {
  return sinks.run(sink, fn)
}

/** Called by the shared HTTP client for each failed attempt. */
export function reportCallError(e: CallError): void {
  const sink = sinks.getStore()
  if (!sink) return
  try {
    sink(e)
  } catch {
    // never let recording break the call
  }
}

/** A bounded list of call errors: the first `max` kept in order, the rest counted. */
export class CallErrorList {
  readonly errors: CallError[] = []
  dropped = 0
  constructor(private readonly max = MAX_RUN_ERRORS) {}

  readonly add = (e: CallError): void => {
    if (this.errors.length < this.max) this.errors.push(e)
    else this.dropped++
  }

  /** The columns of the run row. */
  toRun(): { errors: CallError[]; errors_dropped: number } {
    return { errors: [...this.errors], errors_dropped: this.dropped }
  }
}
