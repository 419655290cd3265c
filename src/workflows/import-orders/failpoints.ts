/**
 * Fault injection for the crash tests: when CHANNEL_ORDERS_FAILPOINT names this point, the process
 * is killed right here (SIGKILL, as the kernel's OOM killer would), so the tests can prove that the
 * next run completes or undoes whatever was in flight. Unset in production, it costs one lookup.
 */
export async function failpoint(name: string): Promise<void> {
  const wanted = process.env.CHANNEL_ORDERS_FAILPOINT
  if (!wanted || wanted !== name) return
  // Let the log line out, then die without running any cleanup.
  process.stderr.write(`failpoint ${name}: killing process ${process.pid}\n`)
  process.kill(process.pid, "SIGKILL")
  await new Promise(() => undefined)
}
